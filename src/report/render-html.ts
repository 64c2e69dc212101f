import { readFileSync } from "node:fs";
import type { Summary } from "../contracts/summary.ts";
import { registerReportHelpers } from "./handlebars-helpers.ts";
import type { ReportSection } from "./report-section.ts";
import { reportEnvironment, reportTemplate } from "./report-template.ts";
import { reportView } from "./report-view.ts";
import { renderChart, starPoints } from "./svg-chart.ts";

const css = readFileSync(new URL("./templates/report.css", import.meta.url), "utf8");

/**
 * report.html: one self-contained file (inline CSS and SVG, no script, no external asset) so it
 * opens from a CI artifact, an e-mail attachment or file:// alike. Handlebars escaping stays on:
 * every id, dataset name and note is data, never markup. The raw inserts are our own: the CSS
 * file, the chart and other rooms' sections (the cost plan), whose builders escape each text they
 * embed.
 */
export function renderHtml(summary: Summary, sections: readonly ReportSection[] = []): string {
  const hb = reportEnvironment("report.html.hbs");
  registerReportHelpers(hb);
  const view = reportView(summary);
  const chart = renderChart({
    policies: summary.routers.map((r) => ({
      id: r.id,
      cost: r.costPer1k,
      quality: r.quality.mean,
      ci: r.quality.ci,
    })),
    frontier: summary.frontier,
    reference: view.reference?.id ?? null,
    oracle: { cost: summary.oracle.costPer1k, quality: summary.oracle.quality },
  });
  return reportTemplate(
    hb,
    "report.html.hbs",
  )({
    ...view,
    chart,
    css,
    star: starPoints(9, 9, 8, 3.5),
    sections,
  });
}
