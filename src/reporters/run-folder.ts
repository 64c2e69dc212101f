import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/** reports/<eval>/<run-id>/ (not created). */
export function runFolder(reportsDir: string, evalName: string, runId: string): string {
  return join(reportsDir, evalName, runId);
}

export function createFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/**
 * Refreshes reports/<eval>/latest/ from a run folder. latest/ is a copy, not a symlink, so it
 * survives artifact uploads and Windows checkouts.
 */
export function refreshLatest(reportsDir: string, evalName: string, runDir: string): void {
  const latest = join(reportsDir, evalName, "latest");
  rmSync(latest, { recursive: true, force: true });
  cpSync(runDir, latest, { recursive: true });
}
