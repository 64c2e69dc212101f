import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { importMtBench } from "../../devkit/importers/mtbench.ts";
import { runImported } from "../../devkit/importers/run-imported.ts";
import { Summary } from "../../src/contracts/summary.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { writeReport } from "../../src/reporters/write-report.ts";
import { lengthRouter, randomRouter, thresholdRouter } from "../../src/routing/index.ts";

// Real judge records: GPT-4's 1-10 single-answer scores on MT-bench (RouteLLM's records, read in
// place from ../shared/data), replayed as recorded verdicts through the rubric aggregation
// ((s - 1) / 9) and the engine `routegate eval` runs. They validate aggregation, not a judge.

const DATA = fileURLToPath(new URL("../../../shared/data/routellm_gsm8k", import.meta.url));

describe("MT-bench GPT-4 single-answer scores (160 turns, two models)", () => {
  let result: EvalResult;
  let bench: ReturnType<typeof importMtBench>;
  beforeAll(async () => {
    bench = importMtBench(DATA);
    const { weak, strong, scores } = bench;
    // The two-tier oracle ranks turns by the recorded score difference (reads the records on purpose).
    const oracle = thresholdRouter({
      id: "oracle",
      weak,
      strong,
      rank: (item) => (scores[item.id]![strong]! - scores[item.id]![weak]!) / 9,
    });
    result = await runImported(bench, {
      name: "mtbench",
      weak,
      strong,
      scorer: { type: "judge-recorded", judge: bench.judge, mode: "rubric", scale: "1-10", scores },
      routers: [oracle, lengthRouter({ weak, strong }), randomRouter({ weak, strong })],
    });
  }, 120_000);

  it("reproduces the per-model means: Mixtral 8.3406 -> 0.8156, GPT-4-turbo 9.2281 -> 0.9142", () => {
    const q = Object.fromEntries(result.summary.models.map((m) => [m.id, m.quality]));
    expect(result.summary.dataset.items).toBe(160);
    expect(q[bench.weak]!).toBeCloseTo((8.340625 - 1) / 9, 10);
    expect(q[bench.strong]!).toBeCloseTo((9.228125 - 1) / 9, 10);
    expect(q[bench.weak]!).toBeCloseTo(0.8156, 4);
    expect(q[bench.strong]!).toBeCloseTo(0.9142, 4);
  });

  it("records the judge as recorded rubric verdicts: no calls, no cost, rubric diagnostics only", () => {
    const judge = Summary.parse(result.summary).judge!;
    expect(judge).toMatchObject({
      model: "recorded: gpt-4 single-v1 (MT-bench)",
      mode: "rubric",
      calls: 0,
      costUsd: 0,
      flipRate: null,
      tieRate: null,
      kappaVsExact: null,
      errors: 0,
      judged: 320,
      recorded: true,
      simulated: false,
    });
    expect(judge.lengthCorrelation).not.toBeNull();
    expect(result.summary.simulated).toBe(false);
  });

  it("gives a router between the two models the full routing report", () => {
    const routers = Object.fromEntries(result.summary.routers.map((r) => [r.id, r]));
    for (const id of ["oracle", "length", "random"]) {
      const r = routers[id]!;
      expect(r.heldOut).toBe(true);
      expect(r.apgr).not.toBeNull();
      expect(r.cpt).not.toBeNull();
      expect(r.strongShare).not.toBeNull();
    }
    // The oracle closes the gap with a small share of strong calls (most turns tie at 10).
    expect(routers["oracle"]!.apgr!).toBeGreaterThan(routers["random"]!.apgr!);
    const dir = mkdtempSync(join(tmpdir(), "rg-mtbench-"));
    const { dir: out } = writeReport(dir, result.summary, { env: {} });
    for (const f of ["summary.json", "report.md", "report.html"]) expect(existsSync(join(out, f))).toBe(true);
    const written = Summary.parse(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")));
    expect(written.judge?.mode).toBe("rubric");
    expect(written.warnings.some((w) => w.includes("lm-sys/RouteLLM"))).toBe(true);
  });
});
