import { z } from "zod";
import type { Item } from "../../core/types.ts";
import { modelParam } from "../params.ts";
import { defineRouter, itemOnlyScore, type ParamsContext, type Router, type RouterContext } from "../router.ts";

export interface ThresholdParams {
  [key: string]: string | number | boolean;
  weak: string;
  strong: string;
  /** Items whose rank is at or above this go to the strong model. */
  threshold: number;
}

/** What an item-only rank is given for a context: it never reads it. */
const NO_CONTEXT = Object.freeze({}) as RouterContext;

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
  /** True when `rank` reads the item alone and returns a number: the router gets `scoreNow`. */
  itemOnly?: boolean;
}): Router<{ rank: number }, ThresholdParams> {
  const rank = opts.rank;
  const scoreNow = (item: Item) => ({ rank: rank(item, NO_CONTEXT) as number });
  return defineRouter<{ rank: number }, ThresholdParams>({
    id: opts.id,
    params: { weak: opts.weak, strong: opts.strong, threshold: opts.threshold ?? 0 },
    paramsSchema: thresholdParamsSchema,
    score: opts.itemOnly
      ? itemOnlyScore(async (item) => scoreNow(item), scoreNow)
      : async (item, ctx) => ({ rank: await rank(item, ctx) }),
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
