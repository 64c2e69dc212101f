import { sha256Bytes } from "../../core/sha256.ts";
import type { Router } from "../router.ts";
import { type ThresholdParams, thresholdRouter } from "./threshold.ts";

/**
 * A seeded coin per item: the baseline every router must beat (APGR about 0.5). The draw hashes
 * the item id, so it is the same in evaluation and production and independent of order.
 */
export function randomRouter(opts: {
  weak: string;
  strong: string;
  seed?: string;
  id?: string;
}): Router<{ rank: number }, ThresholdParams> {
  // Not "routegate": that is the split's seed, and the same hash would send exactly the held-out
  // items one way.
  const seed = opts.seed ?? "routegate-random-router";
  return thresholdRouter({
    id: opts.id ?? "random",
    weak: opts.weak,
    strong: opts.strong,
    threshold: 0.5,
    itemOnly: true,
    rank: (item) => sha256Bytes(`${seed}:${item.id}`).readUInt32BE(0) / 2 ** 32,
  });
}
