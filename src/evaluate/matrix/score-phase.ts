import type { StoreCaller } from "../../collect/store-caller.ts";
import type { CallResult, ModelId } from "../../core/types.ts";
import type { AnyRouter, RouterContext } from "../../routing/router.ts";
import type { AnswerMatrix } from "./answer-matrix.ts";

/** One call a router's score step made, placed on a reconstructed timeline. */
export interface TimedCall {
  result: CallResult;
  startMs: number;
  endMs: number;
}

/** What a router's score step produced for every item: its scores and the calls it paid for. */
export interface ScorePhase {
  scores: unknown[];
  calls: TimedCall[][];
  /** Sum of the costs of the distinct calls per item. */
  cost: Float64Array;
  /** End of the score step's critical path per item (parallel calls count their maximum). */
  latency: Float64Array;
}

/**
 * Runs `router.score` on every item through the store-backed caller and records every call.
 * Latency is reconstructed, not measured: a call starts when the calls it waited for ended, so a
 * cascade's stages add up and calls made together (Promise.all) count once, at their maximum.
 */
export async function runScorePhase(router: AnyRouter, matrix: AnswerMatrix, caller: StoreCaller): Promise<ScorePhase> {
  const n = matrix.items.length;
  const phase: ScorePhase = {
    scores: new Array(n),
    calls: new Array(n),
    cost: new Float64Array(n),
    latency: new Float64Array(n),
  };
  await Promise.all(
    matrix.items.map(async (item, i) => {
      const timeline: TimedCall[] = [];
      let settledEnd = 0;
      const base = caller.forItem(item);
      const ctx: RouterContext = {
        request: matrix.requests[i]!,
        models: matrix.models as readonly ModelId[],
        async call(model, request, opts) {
          const startMs = settledEnd;
          const result = await base.call(model, request, opts);
          const endMs = startMs + result.latencyMs;
          timeline.push({ result, startMs, endMs });
          settledEnd = Math.max(settledEnd, endMs);
          return result;
        },
      };
      const scores = await router.score(item, ctx);
      phase.scores[i] = scores;
      phase.calls[i] = timeline;
      const seen = new Set<string>();
      let cost = 0;
      for (const c of timeline) {
        if (seen.has(c.result.requestHash)) continue;
        seen.add(c.result.requestHash);
        cost += c.result.costUsd;
      }
      phase.cost[i] = cost;
      phase.latency[i] = timeline.reduce((m, c) => Math.max(m, c.endMs), 0);
    }),
  );
  return phase;
}
