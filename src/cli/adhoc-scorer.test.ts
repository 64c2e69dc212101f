import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import { createScorer } from "../scoring/index.ts";
import { adhocExactScorer, parseScorerOptions } from "./adhoc-scorer.ts";

function dataset(lines: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "rg-adhoc-scorer-")), "items.jsonl");
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  return file;
}

describe("the ad-hoc label scorer", () => {
  const file = dataset([
    { id: "a", input: "x", expected: "billing" },
    { id: "b", input: "x", expected: "Refund" },
    { id: "c", input: "x", expected: "refund" },
    { id: "d", input: "x", expected: ["billing", "other"] },
  ]);

  it("infers its labels from the dataset's expected values and says so", () => {
    const notes: string[] = [];
    const config = adhocExactScorer({ scorer: "label", dataset: file }, (l) => notes.push(l));
    expect(config).toEqual({ type: "label", labels: ["billing", "Refund", "other"] });
    expect(notes).toEqual([expect.stringMatching(/3 labels inferred from the dataset's expected values .*--labels/)]);
    // The config it gives is one the scorer accepts.
    const scorer = createScorer(config as never, { file: "command line" });
    expect(scorer("It is a refund.", { id: "b", input: "x", expected: "Refund" }).pass).toBe(true);
  });

  it("takes --labels as given, silently", () => {
    const notes: string[] = [];
    expect(
      adhocExactScorer({ scorer: "label", labels: "billing, refund,other", dataset: file }, (l) => notes.push(l)),
    ).toEqual({
      type: "label",
      labels: ["billing", "refund", "other"],
    });
    expect(notes).toEqual([]);
  });

  it("refuses --labels for another scorer, and a dataset with no string expected value", () => {
    expect(() => adhocExactScorer({ scorer: "exact", labels: "a", dataset: file }, () => {})).toThrow(
      /--labels is for --scorer label/,
    );
    const numbers = dataset([{ id: "a", input: "x", expected: 3 }]);
    expect(() => adhocExactScorer({ scorer: "label", dataset: numbers }, () => {})).toThrow(InputError);
  });
});

describe("--scorer-option", () => {
  it("reads JSON values as such and the rest as strings", () => {
    expect(
      parseScorerOptions(["routellmCompat=true", "tolerance=0.01", 'choices=["A","B"]', "pattern=^yes|no$"]),
    ).toEqual({
      routellmCompat: true,
      tolerance: 0.01,
      choices: ["A", "B"],
      pattern: "^yes|no$",
    });
    expect(() => parseScorerOptions(["routellmCompat"])).toThrow(/not KEY=VALUE/);
    expect(() => parseScorerOptions(["type=exact"])).toThrow(/not KEY=VALUE/);
  });

  it("selects the RouteLLM-compatible numeric mode, which scores differently from the default", () => {
    const config = adhocExactScorer(
      { scorer: "numeric", scorerOptions: ["routellmCompat=true"], dataset: "unused" },
      () => {},
    );
    expect(config).toEqual({ type: "numeric", routellmCompat: true });
    const compat = createScorer(config as never);
    const plain = createScorer("numeric");
    // RouteLLM's rule takes the last run of digits: "-3.5" reads as 5.
    const item = { id: "a", input: "x", expected: 5 };
    expect(compat("The answer is -3.5", item).pass).toBe(true);
    expect(plain("The answer is -3.5", item).pass).toBe(false);
  });

  it("with no option, the bare scorer name (its defaults)", () => {
    expect(adhocExactScorer({ scorer: "exact", dataset: "unused" }, () => {})).toBe("exact");
  });
});
