import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveEval } from "../../src/config/load-eval.ts";
import { InputError } from "../../src/core/errors.ts";
import { runDistill } from "../../src/finetune/run-distill.ts";
import { defaultTrainingRates } from "../../src/pricing/training-rates.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import { tempDir } from "../e2e/cli.ts";

// The refusals of `distill` (exit 2, naming the file and field): nothing is written on bad input.

function setup(split: unknown, scorer: unknown = "exact") {
  const dir = tempDir("rg-distill-");
  writeFileSync(
    join(dir, "d.jsonl"),
    Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `q${i}`, input: `x${i}`, expected: `y${i}` })).join("\n"),
  );
  const config = resolveEval(
    { name: "d", dataset: "d.jsonl", models: ["sim:cheap", "sim:flagship"], scorer, split },
    join(dir, "d.eval.ts"),
    dir,
  );
  const store = OutcomeStore.open(":memory:");
  const run = (teacher = "sim:flagship") =>
    runDistill({
      config,
      teacher,
      store,
      format: "openai",
      out: join(dir, "train.jsonl"),
      epochs: 3,
      rates: defaultTrainingRates(),
    });
  return { run };
}

const inputError = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("no error");
};

describe("distill refusals", () => {
  it("needs split.trainFraction: distilling would otherwise train on what the gate measures", () => {
    const err = inputError(() => setup({ heldOutFraction: 0.3 }).run());
    expect(err.where).toBe("field split.trainFraction");
    expect(err.fix).toMatch(/trainFraction: 0.4/);
  });

  it("needs the teacher to be a model of the eval", () => {
    const err = inputError(() => setup({ heldOutFraction: 0.3, trainFraction: 0.4 }).run("openai:gpt-4.1"));
    expect(err.problem).toMatch(/teacher "openai:gpt-4.1" is not a model of this eval \(sim:cheap, sim:flagship\)/);
  });

  it("says how many examples passed and why the rest did not when too few are left", () => {
    const err = inputError(() => setup({ heldOutFraction: 0.3, trainFraction: 0.4 }).run());
    expect(err.problem).toMatch(
      /only 0 examples pass \(left out: \d+ heldOut, \d+ calibration, \d+ noAnswer\); the openai format needs at least 10/,
    );
  });
});
