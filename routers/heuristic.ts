import type { Item } from "@routegate/runtime";
import { defineRouter, modelParam } from "@routegate/runtime/routing";
import { z } from "zod";

/**
 * A hand-written heuristic router: the kind of rule a team writes first. It scores an item from
 * signals available without any model call (length, keywords that tend to mean a tricky request,
 * the customer's tier) and sends it to the strong model above a threshold. The threshold is
 * calibrated by routegate on the calibration split; everything else is plain code.
 */
export interface HeuristicParams {
  [key: string]: string | number | boolean;
  weak: string;
  strong: string;
  threshold: number;
}

export function heuristicRouter(opts: {
  weak: string;
  strong: string;
  id?: string;
  /** Words that suggest the request needs the stronger model (matched case-insensitively). */
  keywords?: readonly string[];
  /** Extra weight for items whose metadata.userTier is "enterprise". */
  enterpriseBoost?: number;
}) {
  const keywords = (opts.keywords ?? []).map((k) => k.toLowerCase());
  const boost = opts.enterpriseBoost ?? 0;
  return defineRouter<{ rank: number }, HeuristicParams>({
    id: opts.id ?? "heuristic",
    params: { weak: opts.weak, strong: opts.strong, threshold: 1 },
    // Params arrive as data (the exported config): the runtime checks them against this schema.
    paramsSchema: (ctx) => z.strictObject({ weak: modelParam(ctx), strong: modelParam(ctx), threshold: z.number() }),
    async score(item) {
      const text = inputOf(item).toLowerCase();
      const hits = keywords.filter((k) => text.includes(k)).length;
      // Length saturates: past ~1,500 characters a ticket is "long" and more text adds little signal.
      const length = Math.min(text.length, 1500) / 500;
      const tier = item.metadata?.userTier === "enterprise" ? boost : 0;
      return { rank: length + hits + tier };
    },
    decide(scores, params) {
      return scores.rank >= params.threshold ? { model: params.strong } : { model: params.weak };
    },
    rank: (scores) => scores.rank,
  });
}

function inputOf(item: Item): string {
  return typeof item.input === "string" ? item.input : JSON.stringify(item.input);
}
