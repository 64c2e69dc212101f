import { createHash } from "node:crypto";

export interface SplitOptions {
  seed?: string;
  heldOutFraction?: number;
}

/** sha256(seed + ":" + groupId), first 8 bytes as an unsigned 64-bit big-endian integer. */
export function splitHash(groupId: string, seed = "routegate"): bigint {
  return createHash("sha256").update(`${seed}:${groupId}`).digest().readBigUInt64BE(0);
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

/** Held-out iff the item's (or its group's) hash falls below heldOutFraction (METRICS.md section 5). */
export function isHeldOut(groupId: string, opts: SplitOptions = {}): boolean {
  const fraction = opts.heldOutFraction ?? 0.5;
  if (Number.isNaN(fraction)) throw new RangeError("isHeldOut: heldOutFraction is NaN");
  return belowFraction(splitHash(groupId, opts.seed), fraction);
}

/** k-fold assignment: the same hash integer mod k, so folds are stable across runs and machines. */
export function foldOf(groupId: string, k: number, seed = "routegate"): number {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`foldOf: k must be a positive integer, got ${k}`);
  return Number(splitHash(groupId, seed) % BigInt(k));
}
