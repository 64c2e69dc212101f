import { Summary } from "../contracts/summary.ts";
import { renderHtml } from "../report/render-html.ts";
import { renderMarkdown } from "../report/render-markdown.ts";
import type { ReportSection } from "../report/report-section.ts";
import type { EvalReport } from "./reporter.ts";

/**
 * An eval's report for the reporters: the summary validated first (summary.json is a contract, a
 * malformed one must never reach users), its Markdown and HTML rendered on first use and kept.
 */
export function evalReport(summary: Summary, dir: string | null, sections: readonly ReportSection[] = []): EvalReport {
  const valid = Summary.parse(summary);
  let markdown: string | undefined;
  let html: string | undefined;
  return {
    summary: valid,
    dir,
    sections,
    markdown: () => {
      markdown ??= renderMarkdown(valid, sections);
      return markdown;
    },
    html: () => {
      html ??= renderHtml(valid, sections);
      return html;
    },
  };
}
