import { z } from "zod";
import type { Item } from "../../core/types.ts";
import { modelParam } from "../params.ts";
import { defineRouter, type ParamsContext, type Router, type RouterContext } from "../router.ts";

export interface ThresholdParams {
  [key: string]: string | number | boolean;
  weak: string;
  strong: string;
  /** Items whose rank is at or above this go to the strong model. */
  threshold: number;
}

/** Two tiers and a number: the params of every threshold-shaped router. */
export function thresholdParamsSchema(ctx: ParamsContext) {
  return z.strictObject({ weak: modelParam(ctx), strong: modelParam(ctx), threshold: z.number() });
}

/**
 * The common shape of two-tier routers: score an item with one number (higher = harder) and send
 * it to the strong model at or above a threshold. The threshold is calibrated on the calibration
 * split; `rank` lets sweeps trace the full-resolution curve.
 */
export function thresholdRouter(opts: {
  id: string;
  weak: string;
  strong: string;
  threshold?: number;
  rank: (item: Item, ctx: RouterContext) => number | Promise<number>;
}): Router<{ rank: number }, ThresholdParams> {
  return defineRouter<{ rank: number }, ThresholdParams>({
    id: opts.id,
    params: { weak: opts.weak, strong: opts.strong, threshold: opts.threshold ?? 0 },
    paramsSchema: thresholdParamsSchema,
    async score(item, ctx) {
      return { rank: await opts.rank(item, ctx) };
    },
    decide(scores, params) {
      return scores.rank >= params.threshold
        ? { model: params.strong, reason: `rank ${scores.rank} >= ${params.threshold}` }
        : { model: params.weak, reason: `rank ${scores.rank} < ${params.threshold}` };
    },
    decideBatch(scores, params, indexOf, out) {
      const weak = indexOf(params.weak);
      const strong = indexOf(params.strong);
      const t = params.threshold;
      for (let i = 0; i < scores.length; i++) out[i] = scores[i]!.rank >= t ? strong : weak;
    },
    rank: (scores) => scores.rank,
    decidesByRank: true,
  });
}
