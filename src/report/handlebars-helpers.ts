import type Handlebars from "handlebars";
import { describeParams } from "../routing/params.ts";
import { DASH, fixed, int, isNum, pct, signed, usd } from "./format.ts";

type HandlebarsEnv = ReturnType<typeof Handlebars.create>;

/**
 * The formatting helpers of report.md and report.html. They return plain strings: the HTML
 * template escapes them like any other value, so an id or parameter can never inject markup.
 */
export function registerReportHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper("num", (v: unknown, digits: unknown) => fixed(v, Number(digits)));
  hb.registerHelper("int", (v: unknown) => int(v));
  hb.registerHelper("pct", (v: unknown) => pct(v));
  hb.registerHelper("usd", (v: unknown) => usd(v));
  hb.registerHelper("usd1k", (v: unknown) => (isNum(v) ? usd(1000 * v) : DASH));
  hb.registerHelper("signed", (v: unknown, digits: unknown) => signed(v, Number(digits)));
  /** A relative change (0.05 = +5.0%). */
  hb.registerHelper("spct", (v: unknown) => (isNum(v) ? `${signed(100 * v, 1)}%` : DASH));
  hb.registerHelper("short", (v: unknown) => String(v).slice(0, 12));
  hb.registerHelper("join", (v: unknown, sep: unknown) => (Array.isArray(v) ? v.join(String(sep)) : ""));
  hb.registerHelper("isnum", (v: unknown) => isNum(v));
  /** "(est.)" beside a model's cost: an estimated cost, never a recorded one (older summaries: estimated usage). */
  hb.registerHelper(
    "costEstimated",
    (m: { costEstimated?: boolean; usageEstimated?: boolean }) => m?.costEstimated ?? m?.usageEstimated === true,
  );
  /** A gate check that did not pass but does not decide the verdict (a feature too small to decide). */
  hb.registerHelper("nonBlocking", (c: { blocking?: boolean }) => c?.blocking === false);
  // Single-model policies are omitted: they cannot be manipulated into another choice.
  hb.registerHelper("routerChoices", (a: { choices: Record<string, string>; quality?: Record<string, number> }) =>
    Object.entries(a.choices)
      .filter(([router]) => !router.startsWith("always:"))
      .map(
        ([router, model]) =>
          `${router} → ${model}${isNum(a.quality?.[router]) ? ` (${fixed(a.quality![router], 2)})` : ""}`,
      )
      .join("; "),
  );
  hb.registerHelper("params", (r: { id: string; params: Record<string, unknown> }) => {
    if (r.id.startsWith("always:")) return "";
    return describeParams(r.params);
  });
}
