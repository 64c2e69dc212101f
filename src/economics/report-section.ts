import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Summary } from "../contracts/summary.ts";
import { defaultPriceBook } from "../pricing/price-book.ts";
import { buildPlan } from "./build-plan.ts";
import { renderPlanHtml, renderPlanMarkdown } from "./render-plan.ts";
import { loadTrafficProfile } from "./traffic-profile.ts";

/**
 * Adds the cost plan to a written report (an eval config with `traffic`): appended to report.md and
 * inserted before report.html's </main>, in the run folder and in latest/. Kept outside the report
 * templates so a run without a traffic profile renders exactly as before.
 */
export function appendPlanToReport(reportsDir: string, runDir: string, summary: Summary, trafficFile: string): void {
  const plan = buildPlan(summary, loadTrafficProfile(trafficFile), defaultPriceBook());
  const md = renderPlanMarkdown(plan, 2);
  const html = renderPlanHtml(plan);
  for (const dir of [runDir, join(reportsDir, summary.eval, "latest")]) {
    const mdFile = join(dir, "report.md");
    const htmlFile = join(dir, "report.html");
    if (existsSync(mdFile)) writeFileSync(mdFile, `${readFileSync(mdFile, "utf8").trimEnd()}\n\n${md}`);
    if (existsSync(htmlFile)) {
      const page = readFileSync(htmlFile, "utf8");
      const at = page.lastIndexOf("</main>");
      writeFileSync(htmlFile, at < 0 ? page + html : `${page.slice(0, at)}${html}${page.slice(at)}`);
    }
  }
}
