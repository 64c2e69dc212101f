import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import type { Summary } from "../contracts/summary.ts";
import { registerReportHelpers } from "./handlebars-helpers.ts";
import { reportView } from "./report-view.ts";

const template = readFileSync(new URL("./templates/report.md.hbs", import.meta.url), "utf8");

/** report.md: sized for a pull-request comment, verdict first. */
export function renderMarkdown(summary: Summary): string {
  const hb = Handlebars.create();
  registerReportHelpers(hb);
  const frontier = new Set(summary.frontier);
  hb.registerHelper("frontier", (id: unknown) => frontier.has(String(id)));
  return hb.compile(template, { noEscape: true, strict: false })(reportView(summary));
}
