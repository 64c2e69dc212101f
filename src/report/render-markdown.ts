import type { Summary } from "../contracts/summary.ts";
import { escapeMarkdown } from "../core/markdown-escape.ts";
import { registerReportHelpers } from "./handlebars-helpers.ts";
import type { ReportSection } from "./report-section.ts";
import { reportEnvironment, reportTemplate } from "./report-template.ts";
import { reportView } from "./report-view.ts";

/**
 * report.md: sized for a pull-request comment, verdict first; other rooms' sections (the cost plan)
 * last, as their builders rendered and escaped them. Every text of the view (ids, dataset and
 * feature names, provider errors, notes, object keys) is escaped before the template sees it, so a
 * value can never add a line, a heading, a link or a tag: escaping is the default, not a helper
 * each interpolation has to remember. The template wraps ids as `<code>`, never in backticks (a
 * backtick span would show the escapes instead of honouring them).
 */
export function renderMarkdown(summary: Summary, sections: readonly ReportSection[] = []): string {
  const hb = reportEnvironment("report.md.hbs");
  registerReportHelpers(hb);
  const report = reportTemplate(hb, "report.md.hbs")(escapeTexts(reportView(summary)));
  if (sections.length === 0) return report;
  return (
    report.trimEnd() +
    sections
      .map(
        (s) => `

${s.markdown}`,
      )
      .join("")
  );
}

/** A copy of `value` with every string, and every object key, escaped for Markdown. */
export function escapeTexts<T>(value: T): T {
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return escapeMarkdown(v);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return seen.get(v);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, x] of Object.entries(v)) out[escapeMarkdown(k)] = walk(x);
    return out;
  };
  return walk(value) as T;
}
