import type { Summary } from "../contracts/summary.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import { buildPlan } from "./build-plan.ts";
import { renderPlanHtml, renderPlanMarkdown } from "./render-plan.ts";
import type { TrafficProfile } from "./traffic-profile.ts";

/**
 * The cost plan as a section of the run's report (an eval config with `traffic`): rendered with
 * the rest of report.md, report.html and the CI job summary, never spliced into written files.
 * The shape is the report's ReportSection; the HTML is escaped by renderPlanHtml.
 */
export function planSection(
  summary: Summary,
  traffic: TrafficProfile,
  book: PriceBook,
): { id: "cost-plan"; markdown: string; html: string } {
  const plan = buildPlan(summary, traffic, book);
  return { id: "cost-plan", markdown: renderPlanMarkdown(plan, 2), html: renderPlanHtml(plan) };
}
