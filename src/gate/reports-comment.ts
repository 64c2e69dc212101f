import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Summary } from "../contracts/summary.ts";
import { type PrComment, prComment, type RunForComment } from "./pr-comment.ts";

/**
 * The pull-request comment for every eval's latest run under `reports` (what `routegate eval`
 * wrote): a dangerfile posts its markdown, warnings and failures.
 */
export function commentFromReports(reports = "reports"): PrComment {
  const runs: RunForComment[] = [];
  if (existsSync(reports)) {
    for (const evalName of readdirSync(reports).sort()) {
      const latest = join(reports, evalName, "latest");
      if (!existsSync(join(latest, "summary.json"))) continue;
      runs.push({
        summary: Summary.parse(JSON.parse(readFileSync(join(latest, "summary.json"), "utf8"))),
        markdown: readFileSync(join(latest, "report.md"), "utf8"),
      });
    }
  }
  return prComment(runs);
}
