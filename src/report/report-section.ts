/**
 * A section another room adds to a run's report (the cost plan), rendered with the rest: appended
 * to report.md and placed at the end of report.html's <main>. Its builder escapes what it embeds;
 * the HTML renderer inserts `html` as it is.
 */
export interface ReportSection {
  /** A stable id (the HTML section's id), e.g. "cost-plan". */
  id: string;
  markdown: string;
  html: string;
}
