import type { EvalConfig } from "../../config/define-eval.ts";
import type { Item } from "../../core/types.ts";
import { isHeldOut } from "../../stats/index.ts";

export interface SplitMasks {
  /** false when the eval turned the split off: then every figure is in-sample. */
  enabled: boolean;
  seed: string;
  heldOutFraction: number;
  calibration: Uint8Array;
  heldOut: Uint8Array;
  /** What figures are reported on: held-out items, or all items when the split is off. */
  reporting: Uint8Array;
  calibrationCount: number;
  heldOutCount: number;
}

/**
 * Calibration / held-out assignment by hash (METRICS.md section 5). Items of one group (turns of
 * one conversation, paraphrases of one question) declare `metadata.group` and stay together.
 */
export function splitMasks(items: Item[], split: EvalConfig["split"]): SplitMasks {
  const n = items.length;
  if (split === false) {
    const all = new Uint8Array(n).fill(1);
    return {
      enabled: false,
      seed: "",
      heldOutFraction: 0,
      calibration: all,
      heldOut: all,
      reporting: all,
      calibrationCount: n,
      heldOutCount: n,
    };
  }
  const calibration = new Uint8Array(n);
  const heldOut = new Uint8Array(n);
  items.forEach((item, i) => {
    const group = item.metadata?.group;
    const groupId = typeof group === "string" || typeof group === "number" ? String(group) : item.id;
    if (isHeldOut(groupId, split)) heldOut[i] = 1;
    else calibration[i] = 1;
  });
  const heldOutCount = heldOut.reduce((a, b) => a + b, 0);
  if (heldOutCount === 0 || heldOutCount === n) {
    // Too few items to split: fall back to in-sample figures rather than reporting on nothing.
    const all = new Uint8Array(n).fill(1);
    return {
      enabled: false,
      seed: split.seed,
      heldOutFraction: split.heldOutFraction,
      calibration: all,
      heldOut: all,
      reporting: all,
      calibrationCount: n,
      heldOutCount: n,
    };
  }
  return {
    enabled: true,
    seed: split.seed,
    heldOutFraction: split.heldOutFraction,
    calibration,
    heldOut,
    reporting: heldOut,
    calibrationCount: n - heldOutCount,
    heldOutCount,
  };
}

/**
 * The split without some items (`judge.onInjection: "exclude"`): they leave calibration and
 * reporting alike, so no policy is tuned or measured on them. The assignment of the others stays.
 */
export function withoutItems(split: SplitMasks, drop: Uint8Array): SplitMasks {
  const keep = (mask: Uint8Array) => Uint8Array.from(mask, (v, i) => (drop[i] ? 0 : v));
  const calibration = keep(split.calibration);
  const heldOut = keep(split.heldOut);
  const count = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);
  return {
    ...split,
    calibration,
    heldOut,
    reporting: split.enabled ? heldOut : calibration,
    calibrationCount: count(calibration),
    heldOutCount: count(heldOut),
  };
}
