import { describe, expect, it } from "vitest";
import type { JudgeSummary } from "../../contracts/judge-summary.ts";
import { InputError } from "../../core/errors.ts";
import { assertSameJudge, judgeDifferences } from "./same-judge.ts";

const judge: JudgeSummary = {
  model: "openai:gpt-4o",
  mode: "pairwise",
  promptHash: "aaaa",
  calls: 10,
  costUsd: 0.1,
  flipRate: 0.1,
  tieRate: 0.2,
  lengthCorrelation: null,
  kappaVsExact: null,
  snapshots: ["openai:gpt-4o"],
};

describe("assertSameJudge", () => {
  it("lets runs judged alike (or not judged at all) be compared, whatever their figures", () => {
    expect(() => assertSameJudge(judge, { ...judge, calls: 99, costUsd: 3, flipRate: 0.4 })).not.toThrow();
    expect(() => assertSameJudge(null, null)).not.toThrow();
    expect(() => assertSameJudge(undefined, null)).not.toThrow();
  });

  it("refuses another judge model, snapshot, prompt or mode, and a judged vs an unjudged run (exit 2)", () => {
    const cases: Partial<JudgeSummary>[] = [
      { model: "anthropic:claude-3-5-sonnet" },
      { snapshots: ["openai:gpt-4o-2024-11-20"] },
      { promptHash: "bbbb" },
      { mode: "rubric" },
      { panel: "mean" },
    ];
    for (const c of cases) {
      expect(() => assertSameJudge(judge, { ...judge, ...c })).toThrow(InputError);
      expect(judgeDifferences(judge, { ...judge, ...c })).toHaveLength(1);
    }
    let err: unknown;
    try {
      assertSameJudge(judge, null, { a: "run-1", b: "run-2" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as InputError).message).toMatch(/run-1 vs run-2.*judged differently/);
  });
});
