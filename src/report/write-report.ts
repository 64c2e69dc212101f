import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderMarkdown } from "./render-markdown.ts";
import { Summary } from "./summary-schema.ts";

/**
 * Writes reports/<eval>/<run-id>/{summary.json, report.md} and refreshes reports/<eval>/latest/.
 * latest/ is a copy, not a symlink, so it survives artifact uploads and Windows checkouts.
 */
export function writeReport(reportsDir: string, summary: Summary): { dir: string; markdown: string } {
  // Validate before writing: summary.json is a contract, a malformed one must never reach users.
  const valid = Summary.parse(summary);
  const dir = join(reportsDir, valid.eval, valid.runId);
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdown(valid);
  writeFileSync(join(dir, "summary.json"), `${JSON.stringify(valid, null, 2)}\n`);
  writeFileSync(join(dir, "report.md"), markdown);
  const latest = join(reportsDir, valid.eval, "latest");
  rmSync(latest, { recursive: true, force: true });
  cpSync(dir, latest, { recursive: true });
  return { dir, markdown };
}
