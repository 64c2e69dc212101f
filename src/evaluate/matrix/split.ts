import type { EvalConfig } from "../../config/define-eval.ts";
import { InputError } from "../../core/errors.ts";
import type { Item } from "../../core/types.ts";
import type { DatasetItems } from "../../datasets/dataset-items.ts";
import { foldOf, splitGroupId, splitPart } from "../../stats/index.ts";

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
  /** Items kept for fine-tuning (split.trainFraction): in neither mask, nor in the model figures. */
  trainCount?: number;
  train?: Uint8Array;
  /**
   * Which half (0 or 1) of the calibration items each one is in for cross-fitting, drawn by hash of
   * its group with its own seed (calibrationHalves); set when the split is on. Drawn in the same
   * pass as the split: a dataset file's items are read again for each pass.
   */
  half?: Uint8Array;
}

/**
 * Calibration / held-out assignment by hash (docs/metrics.md#calibration-and-the-held-out-split). Items of one group (turns of
 * one conversation, paraphrases of one question) declare `metadata.group` and stay together.
 */
export function splitMasks(items: DatasetItems, split: EvalConfig["split"]): SplitMasks {
  const builder = splitBuilder(items.length, split);
  if (builder.reads) items.forEach(builder.add);
  return builder.done();
}

/**
 * The split built while another pass reads the items (collection's: a dataset file's items are
 * read again for each pass, so the split takes no pass of its own). `add` every item once, then
 * `done`. `reads` is false when the split needs no item (turned off).
 */
export interface SplitBuilder {
  reads: boolean;
  add: (item: Item, i: number) => void;
  done: () => SplitMasks;
}

export function splitBuilder(n: number, split: EvalConfig["split"]): SplitBuilder {
  if (split === false) {
    const all = new Uint8Array(n).fill(1);
    const off: SplitMasks = {
      enabled: false,
      seed: "",
      heldOutFraction: 0,
      calibration: all,
      heldOut: all,
      reporting: all,
      calibrationCount: n,
      heldOutCount: n,
    };
    return { reads: false, add: () => {}, done: () => off };
  }
  const calibration = new Uint8Array(n);
  const heldOut = new Uint8Array(n);
  // Training items (split.trainFraction, for fine-tuning) are in neither mask: no policy is tuned,
  // gated or measured on what a fine-tuned candidate was trained on.
  const train = new Uint8Array(n);
  const half = new Uint8Array(n);
  let trainCount = 0;
  const add = (item: Item, i: number) => {
    const part = splitPart(item, split);
    if (part === "heldOut") heldOut[i] = 1;
    else if (part === "calibration") {
      calibration[i] = 1;
      half[i] = foldOf(splitGroupId(item), 2, `${split.seed}:halves`);
    } else {
      train[i] = 1;
      trainCount++;
    }
  };
  return { reads: true, add, done: () => masksOf(n, split, { calibration, heldOut, train, half, trainCount }) };
}

function masksOf(
  n: number,
  split: Exclude<EvalConfig["split"], false>,
  parts: { calibration: Uint8Array; heldOut: Uint8Array; train: Uint8Array; half: Uint8Array; trainCount: number },
): SplitMasks {
  const { calibration, heldOut, train, half, trainCount } = parts;
  const heldOutCount = heldOut.reduce((a, b) => a + b, 0);
  if (trainCount > 0) {
    const calibrationCount = n - heldOutCount - trainCount;
    if (heldOutCount === 0 || calibrationCount === 0)
      throw new InputError(
        "eval file",
        "field split.trainFraction",
        `${n} items leave ${calibrationCount} for calibration and ${heldOutCount} held out after ${trainCount} training items`,
        "lower split.trainFraction or add items to the dataset",
      );
    return {
      enabled: true,
      seed: split.seed,
      heldOutFraction: split.heldOutFraction,
      calibration,
      heldOut,
      reporting: heldOut,
      calibrationCount,
      heldOutCount,
      trainCount,
      train,
      half,
    };
  }
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
    half,
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
