import { existsSync } from "node:fs";
import { DecisionLogLine } from "../contracts/decision-log-line.ts";
import { InputError } from "../core/errors.ts";
import { parseJsonl, readTextFile } from "../datasets/jsonl.ts";

/** The decision lines of a log and its rotated files (`FILE.1`, `FILE.2`, ... oldest last), in order. */
export function readDecisionLog(file: string): DecisionLogLine[] {
  if (!existsSync(file))
    throw new InputError(
      file,
      undefined,
      "the decision log does not exist",
      "give the file routegate serve --decision-log wrote",
    );
  const files = [file];
  for (let i = 1; existsSync(`${file}.${i}`); i++) files.push(`${file}.${i}`);
  return files
    .reverse()
    .flatMap((f) =>
      parseJsonl(
        readTextFile(f, "the decision log"),
        f,
        DecisionLogLine,
        "each line is one decision written by routegate serve",
      ),
    );
}
