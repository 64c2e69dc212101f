import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Summary } from "../contracts/summary.ts";
import { InputError } from "../core/errors.ts";
import { parseOrInputError } from "../core/validate.ts";

/**
 * Resolves a run reference to its summary.json: a run folder, a summary.json file, or
 * `EVAL@latest` / `EVAL@RUN_ID` under the reports folder. An existing path wins over the `@`
 * form, so a folder whose name happens to contain `@` still works.
 */
export function resolveRunRef(ref: string, reportsDir: string): string {
  if (existsSync(ref)) return statSync(ref).isDirectory() ? join(ref, "summary.json") : ref;
  const at = /^([^@/\\]+)@([^@/\\]+)$/.exec(ref);
  if (at) return join(reportsDir, at[1]!, at[2]!, "summary.json");
  throw new InputError(
    "command line",
    `run "${ref}"`,
    "no such file or folder",
    "give a run folder, a summary.json file, or EVAL@latest / EVAL@RUN_ID (resolved under --reports)",
  );
}

export function loadSummary(ref: string, reportsDir: string): { file: string; summary: Summary } {
  const file = resolveRunRef(ref, reportsDir);
  if (!existsSync(file)) {
    throw new InputError(
      file,
      undefined,
      `no summary.json for run "${ref}"`,
      "check the eval name and run id (ls the reports folder)",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `not valid JSON (${(err as Error).message})`,
      "point at a summary.json written by routegate",
    );
  }
  return { file, summary: parseOrInputError(Summary, json, file, "point at a summary.json written by routegate") };
}
