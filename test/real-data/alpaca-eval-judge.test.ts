import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runImported } from "../../devkit/importers/run-imported.ts";
import { Summary } from "../../src/contracts/summary.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { writeReport } from "../../src/reporters/write-report.ts";
import { lengthRouter, randomRouter, thresholdRouter } from "../../src/routing/index.ts";
import { importAlpacaEval, leaderboardWinRates } from "./alpaca-eval.ts";

// Real pairwise verdicts: AlpacaEval's GPT-4-turbo preferences of 7 models against the
// gpt4_1106_preview reference (NON-COMMERCIAL data, read in place, tests only). Replayed as
// recorded verdicts through the pairwise aggregation and the engine; they validate aggregation.

const DATA = fileURLToPath(new URL("../../../shared/data/alpaca_eval", import.meta.url));
const MODELS = [
  "gpt4_1106_preview",
  "claude-2.1",
  "claude-instant-1.2",
  "gpt-3.5-turbo-1106",
  "Mixtral-8x7B-Instruct-v0.1_concise",
  "gemma-7b-it",
  "gemma-2b-it",
];
/** Largest |ours - leaderboard| in win-rate points this reproduction reaches (the records round p_win). */
const TOLERANCE_POINTS = 1e-5;

describe("AlpacaEval recorded pairwise verdicts (805 instructions, 7 models)", () => {
  let all: EvalResult;
  let pair: EvalResult;
  beforeAll(async () => {
    const { bench, scores } = importAlpacaEval(DATA, MODELS);
    const scorer = {
      type: "judge-recorded",
      judge: "weighted_alpaca_eval_gpt4_turbo",
      mode: "pairwise",
      scale: "unit",
      scores,
    } as const;
    all = await runImported(bench, { name: "alpaca-eval", scorer, split: false });
    const weak = "replay:gpt-3.5-turbo-1106";
    const strong = "replay:claude-2.1";
    const oracle = thresholdRouter({
      id: "oracle",
      weak,
      strong,
      rank: (item) => scores[item.id]![strong]! - scores[item.id]![weak]!,
    });
    pair = await runImported(bench, {
      name: "alpaca-eval-router",
      models: bench.models.filter((m) => m.id === weak || m.id === strong),
      weak,
      strong,
      scorer,
      routers: [oracle, lengthRouter({ weak, strong }), randomRouter({ weak, strong })],
    });
  }, 180_000);

  it(`reproduces each judged model's leaderboard win rate: mean p_win x 100, within ${TOLERANCE_POINTS} points`, () => {
    const board = leaderboardWinRates(DATA);
    expect(all.summary.dataset.items).toBe(805);
    for (const m of all.summary.models) {
      const name = m.id.replace(/^replay:/, "");
      const expected = board.get(name);
      expect(expected, name).toBeDefined();
      expect(Math.abs(100 * m.quality - expected!), name).toBeLessThan(TOLERANCE_POINTS);
    }
    const q = (id: string) => all.summary.models.find((m) => m.id === `replay:${id}`)!.quality;
    expect(100 * q("gpt4_1106_preview")).toBe(50);
    expect(100 * q("claude-2.1")).toBeCloseTo(15.7335, 3);
    expect(100 * q("gemma-2b-it")).toBeCloseTo(3.402, 3);
  });

  it("shows the judge's known length bias and the reference's self-ties in the pairwise diagnostics", () => {
    const judge = Summary.parse(all.summary).judge!;
    expect(judge).toMatchObject({ mode: "pairwise", recorded: true, calls: 0, costUsd: 0, flipRate: null, errors: 0 });
    // Longer than the reference -> more wins: AlpacaEval's documented length bias.
    expect(judge.lengthCorrelation!).toBeGreaterThan(0.1);
    // The reference model against itself is recorded as 0.5 on all 805 items.
    expect(judge.tieRate!).toBeGreaterThanOrEqual(805 / (7 * 805));
    // No false alarms: none of the 805 real instructions or 5635 outputs reads as aimed at the judge.
    expect(judge.injectionItems).toEqual([]);
  });

  it("gives a router between two AlpacaEval models the full routing report", () => {
    const routers = Object.fromEntries(pair.summary.routers.map((r) => [r.id, r]));
    for (const id of ["oracle", "length", "random"]) {
      expect(routers[id]!.heldOut).toBe(true);
      expect(routers[id]!.apgr).not.toBeNull();
      expect(routers[id]!.apgrDollar).not.toBeNull();
      expect(routers[id]!.cpt).not.toBeNull();
    }
    expect(routers["oracle"]!.apgr!).toBeGreaterThan(1);
    expect(routers["random"]!.apgr!).toBeGreaterThan(0.3);
    expect(routers["random"]!.apgr!).toBeLessThan(0.7);
    expect(pair.summary.warnings.some((w) => w.includes("CC BY-NC 4.0"))).toBe(true);
    const { dir } = writeReport(mkdtempSync(join(tmpdir(), "rg-alpaca-")), pair.summary, { env: {} });
    for (const f of ["summary.json", "report.md", "report.html"]) expect(existsSync(join(dir, f))).toBe(true);
  });
});
