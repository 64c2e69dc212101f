import { z } from "zod";
import { Summary } from "./summary.ts";

// What `routegate eval --json` prints on stdout: one shape however many evals ran, so a script
// reads `runs` without asking how it was called (docs/cli.md#output-and---json).
export const EVAL_OUTPUT_VERSION = 1;

export const EvalOutput = z.object({
  /** The version of this envelope; each run carries its own summary `schemaVersion`. */
  schemaVersion: z.literal(EVAL_OUTPUT_VERSION),
  /** One summary.json per eval, in the order they ran. */
  runs: z.array(Summary),
});
export type EvalOutput = z.infer<typeof EvalOutput>;
