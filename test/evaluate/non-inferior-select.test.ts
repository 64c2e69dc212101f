import { describe, expect, it } from "vitest";
import { runImported } from "../../devkit/importers/run-imported.ts";
import { resolveEval } from "../../src/config/load-eval.ts";
import { InputError } from "../../src/core/errors.ts";
import { decideAll } from "../../src/evaluate/matrix/decide-all.ts";
import { maskedValues } from "../../src/evaluate/matrix/masked.ts";
import { evaluateChoices } from "../../src/evaluate/matrix/policy-outcome.ts";
import { lengthRouter, qualityCostRouter } from "../../src/routing/index.ts";
import { isHeldOut, newcombePairedInterval, pairedTable } from "../../src/stats/index.ts";
import { syntheticBenchmark } from "../routing/synthetic.ts";

const [cheap, mid, strong] = ["replay:cheap", "replay:mid", "replay:strong"];

describe("select: { nonInferiorTo, margin }", () => {
  it("picks the cheapest point whose paired lower bound against the best is above -margin on calibration items", async () => {
    const margin = 0.3;
    const result = await runImported(syntheticBenchmark(), {
      name: "ni",
      weak: cheap,
      strong,
      scorer: { type: "numeric", extract: "hash" },
      routers: [lengthRouter({ weak: cheap, strong })],
      select: { nonInferiorTo: "best", margin },
    });
    const { matrix, split } = result;
    const e = result.evaluated.find((x) => x.router.id === "length")!;
    const modelIndex = new Map(matrix.models.map((m, k) => [m, k]));
    const ref = maskedValues(matrix.score[2]!, split.calibration);
    // Brute force over the same grid: replay every point, test it, keep the cheapest that passes.
    let best: { threshold: number; cost: number } | null = null;
    for (const params of e.grid) {
      const o = evaluateChoices(matrix, e.phase, decideAll(e.router, e.phase, params, modelIndex));
      const lower = newcombePairedInterval(pairedTable(ref, maskedValues(o.quality, split.calibration))).lower;
      const cost = maskedValues(o.cost, split.calibration).reduce((a, b) => a + b, 0);
      if (lower > -margin && (best === null || cost < best.cost - 1e-15))
        best = { threshold: params.threshold as number, cost };
    }
    expect(best).not.toBeNull();
    expect(e.params.threshold).toBe(best!.threshold);
    expect(e.rule).toMatch(/cheapest non-inferior to replay:strong \(best single model on calibration\), margin 0.3/);
    // The strong model is not always chosen: the rule bought a saving.
    expect(e.calibration.cost).toBeLessThan(
      maskedValues(matrix.cost[2]!, split.calibration).reduce((a, b) => a + b) / split.calibrationCount,
    );

    // Held-out: the same test, reported beside the policy.
    const r = result.summary.routers.find((x) => x.id === "length")!;
    const heldOut = newcombePairedInterval(
      pairedTable(maskedValues(matrix.score[2]!, split.heldOut), maskedValues(e.outcome.quality, split.heldOut)),
    );
    expect(r.nonInferiority).toEqual({
      reference: strong,
      margin,
      delta: heldOut.delta,
      lower: heldOut.lower,
      upper: heldOut.upper,
      passed: heldOut.lower > -margin,
      test: "newcombe",
    });
    expect(r.calibration!.nonInferiorityLower).toBeGreaterThan(-margin);
  });

  it("recommends a policy from calibration items only: changing held-out outcomes never changes the choice", async () => {
    const base = syntheticBenchmark();
    const flipped = syntheticBenchmark();
    // On held-out items only, the cheap model becomes perfect and the strong one always wrong.
    flipped.records = flipped.records.map((r) => {
      if (!isHeldOut(r.itemId)) return r;
      const i = Number(r.itemId.slice(1));
      const right = r.model !== "strong";
      return { ...r, output: `#### ${right ? 2 * i : 2 * i + 1}` };
    });
    const run = (bench: typeof base) =>
      runImported(bench, {
        name: "rec",
        scorer: { type: "numeric", extract: "hash" },
        routers: [qualityCostRouter({ models: [cheap, mid, strong], predictor: "means" })],
        select: { nonInferiorTo: "best", margin: 0.1 },
      });
    const [a, b] = [await run(base), await run(flipped)];
    expect(a.summary.recommendation).toBeDefined();
    expect(b.summary.recommendation).toEqual(a.summary.recommendation);
    expect(a.summary.recommendation!.rule).toMatch(/cross-fitted calibration figures/);
    // ... while the held-out figures it is reported with did change.
    const q = (s: typeof a.summary, id: string) => s.routers.find((x) => x.id === id)!.quality.mean;
    expect(q(b.summary, `always:${cheap}`)).not.toBe(q(a.summary, `always:${cheap}`));
  });

  it("is refused with exit 2 when it names no candidate, or gives a margin alone", () => {
    const raw = { name: "x", dataset: "d.jsonl", models: ["sim:cheap", "sim:flagship"], scorer: "exact" };
    expect(() => resolveEval({ ...raw, select: { nonInferiorTo: "sim:nope" } }, "x.eval.ts", "/tmp")).toThrow(
      /select.nonInferiorTo.*"sim:nope" is not one of the models/,
    );
    expect(() => resolveEval({ ...raw, select: { margin: 0.01 } }, "x.eval.ts", "/tmp")).toThrow(InputError);
    const ok = resolveEval({ ...raw, select: { nonInferiorTo: "sim:flagship", margin: 0.02 } }, "x.eval.ts", "/tmp");
    expect(ok.select).toEqual({ nonInferiorTo: "sim:flagship", margin: 0.02 });
  });
});
