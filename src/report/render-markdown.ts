import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import type { Summary } from "./summary-schema.ts";

const template = readFileSync(new URL("./templates/report.md.hbs", import.meta.url), "utf8");

/** report.md: sized for a pull-request comment, verdict first. */
export function renderMarkdown(summary: Summary): string {
  const hb = Handlebars.create();
  const frontier = new Set(summary.frontier);
  const dash = "–";
  const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  hb.registerHelper("num", (v: unknown, digits: unknown) => (isNum(v) ? v.toFixed(Number(digits)) : dash));
  hb.registerHelper("int", (v: unknown) => (isNum(v) ? Math.round(v).toLocaleString("en-US") : dash));
  hb.registerHelper("pct", (v: unknown) => (isNum(v) ? `${(100 * v).toFixed(1)}%` : dash));
  hb.registerHelper("usd", (v: unknown) => (isNum(v) ? `$${formatUsd(v)}` : dash));
  hb.registerHelper("usd1k", (v: unknown) => (isNum(v) ? `$${formatUsd(1000 * v)}` : dash));
  hb.registerHelper("short", (v: unknown) => String(v).slice(0, 12));
  hb.registerHelper("frontier", (id: unknown) => frontier.has(String(id)));
  hb.registerHelper("params", (r: { id: string; params: Record<string, unknown> }) => {
    if (r.id.startsWith("always:")) return "";
    return Object.entries(r.params)
      .map(
        ([k, v]) =>
          `${k}=${Array.isArray(v) ? `[${v.length} weights]` : typeof v === "number" ? Number(v.toPrecision(4)) : v}`,
      )
      .join(", ");
  });
  return hb.compile(template, { noEscape: true, strict: false })({ s: summary });
}

/** Enough significant digits to tell cheap policies apart without printing noise. */
function formatUsd(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}
