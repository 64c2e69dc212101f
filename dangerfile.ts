// danger posts routegate's verdict on the pull request and fails the check when a gate blocked.
// The verdict logic is src/gate/pr-comment.ts (pure, tested); this file only wires danger to it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fail, markdown, warn } from "danger";
import { Summary } from "./src/contracts/summary.ts";
import { prComment, type RunForComment } from "./src/gate/pr-comment.ts";

const reports = "reports";
const runs: RunForComment[] = [];
if (existsSync(reports)) {
  for (const evalName of readdirSync(reports)) {
    const latest = join(reports, evalName, "latest");
    if (!existsSync(join(latest, "summary.json"))) continue;
    runs.push({
      summary: Summary.parse(JSON.parse(readFileSync(join(latest, "summary.json"), "utf8"))),
      markdown: readFileSync(join(latest, "report.md"), "utf8"),
    });
  }
}
const comment = prComment(runs);
markdown(comment.markdown);
for (const w of comment.warnings) warn(w);
for (const f of comment.failures) fail(f);
