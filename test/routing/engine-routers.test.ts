import { beforeAll, describe, expect, it } from "vitest";
import { runImported } from "../../devkit/importers/run-imported.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { pointFigures } from "../../src/evaluate/fit/calibrate.ts";
import { sweepPoints } from "../../src/evaluate/fit/sweep.ts";
import { decideAll } from "../../src/evaluate/matrix/decide-all.ts";
import { evaluateChoices } from "../../src/evaluate/matrix/policy-outcome.ts";
import { adversarialItems } from "../../src/evaluate/summary/adversarial.ts";
import {
  type AnyRouter,
  type ConfidenceSource,
  cascadeRouter,
  learnedRouter,
  lengthRouter,
  logprobConfidence,
  qualityCostRouter,
  type RouterParams,
} from "../../src/routing/index.ts";
import { duringCalibrationSweep } from "../../src/routing/learn/cross-fitted.ts";
import { COST, syntheticBenchmark } from "./synthetic.ts";

const [cheap, mid, strong] = ["replay:cheap", "replay:mid", "replay:strong"];
const logprobs = logprobConfidence("mean");

describe("routers through the engine (synthetic replay data)", () => {
  let result: EvalResult;
  const routers: AnyRouter[] = [
    lengthRouter({ weak: cheap, strong }),
    cascadeRouter({ id: "cascade2", models: [cheap, strong], sources: [logprobs] }),
    cascadeRouter({ id: "cascade3", models: [cheap, mid, strong], sources: [logprobs] }),
    learnedRouter({ weak: cheap, strong, useWeakAnswer: true, id: "learned-cascade" }),
    qualityCostRouter({ models: [cheap, mid, strong], probes: [cheap], id: "qc" }),
  ];
  beforeAll(async () => {
    result = await runImported(syntheticBenchmark(), {
      name: "synthetic",
      weak: cheap,
      strong,
      scorer: { type: "numeric", extract: "hash" },
      routers,
    });
  });
  const evaluated = (id: string) => result.evaluated.find((e) => e.router.id === id)!;
  const modelIndex = () => new Map(result.matrix.models.map((m, k) => [m, k]));
  const replay = (id: string, params: RouterParams) => {
    const e = evaluated(id);
    return evaluateChoices(
      result.matrix,
      e.phase,
      decideAll(e.router, e.phase, { ...e.params, ...params }, modelIndex()),
    );
  };

  it("a two-model cascade that accepts the cheap answer pays once; one that escalates pays both", () => {
    const accept = replay("cascade2", { threshold: 0 });
    const escalate = replay("cascade2", { threshold: 1.01 });
    for (let i = 0; i < 40; i++) {
      expect(accept.cost[i]).toBeCloseTo(COST.cheap, 12);
      expect(escalate.cost[i]).toBeCloseTo(COST.cheap + COST.strong, 12);
      expect(escalate.latency[i]).toBe(100 + 1000);
    }
    // Confident (right) cheap answers are kept, the others escalate: quality is the strong model's.
    const mixed = replay("cascade2", { threshold: 0.5 });
    const kept = Array.from(mixed.choice).filter((k) => k === 0).length;
    expect(kept).toBe(20);
    expect(Array.from(mixed.quality).reduce((a, b) => a + b, 0)).toBe(39);
    expect(mixed.called[2]!.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it("a three-model cascade is charged only for the stages it ran", () => {
    const staged = replay("cascade3", { threshold: 0.5 });
    for (let i = 0; i < 40; i++) {
      const expected =
        i % 2 === 0 ? COST.cheap : i % 3 === 0 ? COST.cheap + COST.mid : COST.cheap + COST.mid + COST.strong;
      expect(staged.cost[i]).toBeCloseTo(expected, 12);
      // The mid model counts as called only where the cascade reached it.
      expect(staged.called[1]![i]).toBe(i % 2 === 0 ? 0 : 1);
    }
  });

  it("the sweep (fused, or sorted by rank) gives the figures of a full replay, point by point", () => {
    for (const id of ["length", "cascade2", "cascade3", "qc"]) {
      const e = evaluated(id);
      const grid = (e.router.grid ?? [{ threshold: 0 }, { threshold: 40 }, { threshold: 80 }]).map((p: object) => ({
        ...e.params,
        ...p,
      }));
      const points = sweepPoints({
        router: e.router,
        phase: e.phase,
        matrix: result.matrix,
        grid,
        modelIndex: modelIndex(),
        mask: result.split.calibration,
        strongIndex: 2,
      });
      grid.forEach((params, g) => {
        const replayed = () =>
          evaluateChoices(result.matrix, e.phase, decideAll(e.router, e.phase, params, modelIndex()));
        // Figures are chosen on with cross-fitted predictions (learned routers); the outcome is the plain one.
        const want = pointFigures(duringCalibrationSweep(replayed), result.split.calibration, 2);
        const full = replayed();
        // Rank-ordered routers (length) are swept in one pass over the sorted items: the same
        // figures up to the order floating-point sums are taken in.
        expect(points[g]!.quality).toBeCloseTo(want.quality, 12);
        expect(points[g]!.cost).toBeCloseTo(want.cost, 12);
        expect(points[g]!.strongShare).toBeCloseTo(want.strongShare!, 12);
        expect(Array.from(points[g]!.outcome.cost)).toEqual(Array.from(full.cost));
      });
    }
  });

  it("the learned cascade fits weights on calibration items and carries them as plain numbers", () => {
    const r = result.summary.routers.find((x) => x.id === "learned-cascade")!;
    const w = r.params["weights"] as number[];
    expect(Array.isArray(w)).toBe(true);
    expect(w.length).toBeGreaterThan(1024);
    expect(w.every((x) => Number.isFinite(x))).toBe(true);
    // The weak answer's form says everything here (wrong answers fail their arithmetic): near-oracle.
    expect(r.quality.mean).toBeGreaterThanOrEqual(result.summary.models[2]!.quality - 0.05);
    expect(r.costPer1k).toBeLessThan(result.summary.models[2]!.costPer1k);
  });

  it("quality minus lambda x cost: lambda 0 buys the best predicted quality, a large lambda the cheapest", () => {
    const free = replay("qc", { lambda: 0 });
    const thrifty = replay("qc", { lambda: 100 });
    expect(Array.from(thrifty.choice).every((k) => k === 0)).toBe(true);
    // The probe's answer is already paid: choosing it costs nothing more.
    expect(Array.from(thrifty.cost).every((c) => Math.abs(c - COST.cheap) < 1e-12)).toBe(true);
    expect(free.quality.reduce((a, b) => a + b, 0)).toBeGreaterThan(thrifty.quality.reduce((a, b) => a + b, 0));
  });

  it("reports the saving at the best single model's quality and what routers did with adversarial items", () => {
    const length = result.summary.routers.find((x) => x.id === "length")!;
    expect(length.bestSingleModel).toBe(strong);
    const alwaysStrong = result.summary.routers.find((x) => x.id === `always:${strong}`)!;
    expect(alwaysStrong.savingAtBestQuality).toBeCloseTo(0, 12);
    const alwaysCheap = result.summary.routers.find((x) => x.id === `always:${cheap}`)!;
    expect(alwaysCheap.savingAtBestQuality).toBeNull();

    const adversarial = adversarialItems(result);
    expect(adversarial.map((a) => a.itemId)).toEqual(["q3", "q6"]);
    expect(adversarial[0]!.choices["cascade2"]).toBe(strong);
    expect(adversarial[1]!.choices["cascade2"]).toBe(cheap);
    expect(adversarial[0]!.tags).toEqual(["prompt-injection"]);
    expect(adversarial[0]!.scores?.["length"]).toBeGreaterThan(0);
    expect(adversarial[0]!.quality["cascade2"]).toBe(1);
  });
});

describe("calibration targets from the eval config", () => {
  it("cascade, learned and quality-cost routers follow targetStrongShare and maxCostPer1k", async () => {
    const routers = [
      cascadeRouter({ id: "cascade2", models: [cheap, strong], sources: [logprobs] }),
      learnedRouter({ weak: cheap, strong, useWeakAnswer: true, id: "learned-cascade" }),
      qualityCostRouter({ models: [cheap, mid, strong], id: "qc" }),
    ];
    const base = {
      name: "targets",
      weak: cheap,
      strong,
      scorer: { type: "numeric", extract: "hash" },
      routers,
    } as const;
    const share = await runImported(syntheticBenchmark(), { ...base, select: { targetStrongShare: 0.5 } });
    for (const id of ["cascade2", "learned-cascade"]) {
      const e = share.evaluated.find((x) => x.router.id === id)!;
      expect(e.rule).toMatch(/strong-call share closest to 0.5/);
      let strongCalls = 0;
      for (let i = 0; i < 40; i++) if (share.split.calibration[i]) strongCalls += e.outcome.called[2]![i]!;
      expect(strongCalls / share.split.calibrationCount).toBeCloseTo(0.5, 1);
    }
    // A cost ceiling of $20 per 1K requests rules out the strong model ($100 per 1K) on every item.
    const capped = await runImported(syntheticBenchmark(), { ...base, select: { maxCostPer1k: 20 } });
    for (const id of ["cascade2", "learned-cascade", "qc"]) {
      const e = capped.evaluated.find((x) => x.router.id === id)!;
      expect(e.rule).toMatch(/cost per 1K/);
      let cost = 0;
      for (let i = 0; i < 40; i++) if (capped.split.calibration[i]) cost += e.outcome.cost[i]!;
      expect((1000 * cost) / capped.split.calibrationCount).toBeLessThanOrEqual(20 + 1e-9);
    }
  });
});

describe("confidence sources that call models", () => {
  it("an LLM verifier call names the answer as its parent and is charged", async () => {
    const { llmVerifier } = await import("../../src/routing/index.ts");
    const seen: Array<{ model: string; role?: string; parents?: string[] }> = [];
    const source: ConfidenceSource = llmVerifier("judge");
    const value = await source.confidence({
      item: { id: "x", input: "2+2?" },
      request: { messages: [{ role: "user", content: "2+2?" }], maxTokens: 5 },
      model: "cheap",
      answer: {
        text: "#### 4",
        model: "cheap",
        requestHash: "answer-hash",
        costUsd: 0,
        latencyMs: 1,
        cached: true,
        usage: {
          input: { noCache: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
          output: { text: 1, reasoning: 0 },
        },
      },
      ctx: {
        request: { messages: [], maxTokens: 1 },
        models: [],
        embed: () => Promise.reject(new Error("no embeddings in this test")),
        async call(model, request, opts) {
          seen.push({
            model,
            ...(opts?.role ? { role: opts.role } : {}),
            ...(opts?.parents ? { parents: opts.parents } : {}),
          });
          expect(request.messages[1]!.content).toMatch(/----- BEGIN ANSWER [a-p]+ -----\n#### 4\n/);
          return {
            text: '{"verdict": "fail", "confidence": 0.9}',
            model,
            requestHash: "v",
            costUsd: 0.001,
            latencyMs: 5,
            cached: false,
            usage: {
              input: { noCache: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
              output: { text: 1, reasoning: 0 },
            },
          };
        },
      },
    });
    expect(value).toBeCloseTo(0.1, 12);
    expect(seen).toEqual([{ model: "judge", role: "verify", parents: ["answer-hash"] }]);
  });
});
