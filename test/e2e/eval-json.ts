import { expect } from "vitest";
import { EvalOutput } from "../../src/contracts/eval-output.ts";
import type { Summary } from "../../src/contracts/summary.ts";

// Readers of `routegate eval --json` (docs/cli.md#output-and---json): one envelope, validated.

/** Every run's summary, in the order the evals ran. */
export function allRuns(stdout: string): Summary[] {
  return EvalOutput.parse(JSON.parse(stdout)).runs;
}

/** The one run's summary of a single-eval command (fails the test when there is not exactly one). */
export function onlyRun(stdout: string): Summary {
  const runs = allRuns(stdout);
  expect(runs).toHaveLength(1);
  return runs[0]!;
}
