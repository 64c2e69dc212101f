import { sha256Bytes } from "../core/sha256.ts";

export interface SplitOptions {
  seed?: string;
  heldOutFraction?: number;
  /** Share of items kept for fine-tuning, from the top of the hash range (0 or absent: none). */
  trainFraction?: number;
}

/** sha256(seed + ":" + groupId), first 8 bytes as an unsigned 64-bit big-endian integer. */
export function splitHash(groupId: string, seed = "routegate"): bigint {
  return sha256Bytes(`${seed}:${groupId}`).readBigUInt64BE(0);
}

/**
 * u < f * 2^64 decided exactly. A double f is m / 2^k with integer m, so the test is
 * u * 2^k < m * 2^64 in BigInt; rounding u / 2^64 to a double could misplace items near the cut.
 */
function belowFraction(u: bigint, fraction: number): boolean {
  if (fraction <= 0) return false;
  if (fraction >= 1) return true;
  let m = fraction;
  let k = 0n;
  while (!Number.isInteger(m)) {
    m *= 2;
    k++;
  }
  return u << k < BigInt(m) << 64n;
}

/** Held-out iff the item's (or its group's) hash falls below heldOutFraction (docs/metrics.md#calibration-and-the-held-out-split). */
export function isHeldOut(groupId: string, opts: SplitOptions = {}): boolean {
  const fraction = opts.heldOutFraction ?? 0.5;
  if (Number.isNaN(fraction)) throw new RangeError("isHeldOut: heldOutFraction is NaN");
  return belowFraction(splitHash(groupId, opts.seed), fraction);
}

/**
 * A training item (for fine-tuning) iff its hash falls at or above 1 - trainFraction: the top of the
 * range, so adding a train fraction never moves an item in or out of the held-out set (the bottom).
 */
export function isTraining(groupId: string, opts: SplitOptions = {}): boolean {
  const fraction = opts.trainFraction ?? 0;
  if (Number.isNaN(fraction)) throw new RangeError("isTraining: trainFraction is NaN");
  if (fraction <= 0) return false;
  return !belowFraction(splitHash(groupId, opts.seed), 1 - fraction);
}

/** The id an item is split by: its `metadata.group` (turns of one conversation stay together), else its id. */
export function splitGroupId(item: { id: string; metadata?: Record<string, unknown> }): string {
  const group = item.metadata?.["group"];
  return typeof group === "string" || typeof group === "number" ? String(group) : item.id;
}

export type SplitPart = "train" | "calibration" | "heldOut";

/** Which of the three parts an item belongs to; held-out wins over train (the fractions never overlap). */
export function splitPart(item: { id: string; metadata?: Record<string, unknown> }, opts: SplitOptions): SplitPart {
  const id = splitGroupId(item);
  if (isHeldOut(id, opts)) return "heldOut";
  return isTraining(id, opts) ? "train" : "calibration";
}

/** k-fold assignment: the same hash integer mod k, so folds are stable across runs and machines. */
export function foldOf(groupId: string, k: number, seed = "routegate"): number {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`foldOf: k must be a positive integer, got ${k}`);
  return Number(splitHash(groupId, seed) % BigInt(k));
}
