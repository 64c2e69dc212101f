import type { FeatureSummary } from "../../contracts/summary.ts";
import type { Item } from "../../core/types.ts";
import type { DatasetItems } from "../../datasets/dataset-items.ts";
import { forEachWithMetadata } from "../../datasets/file-items.ts";
import { qualityInterval } from "../../stats/index.ts";
import type { Mask } from "../matrix/masked.ts";
import type { PolicyOutcome } from "../matrix/policy-outcome.ts";

/**
 * The feature an item belongs to (`metadata.feature`), or null when it declares none. Numbers are
 * accepted as names because JSONL authors write `"feature": 3` as readily as `"feature": "3"`.
 */
export function featureOf(item: Item): string | null {
  const f = item.metadata?.feature;
  if (typeof f === "string" && f !== "") return f;
  if (typeof f === "number" && Number.isFinite(f)) return String(f);
  return null;
}

/** Every item's feature (featureOf), read in one pass for all policies' figures. */
export function itemFeatures(items: DatasetItems): (string | null)[] {
  const features = new Array<string | null>(items.length).fill(null);
  forEachWithMetadata(items, (item, i) => {
    features[i] = featureOf(item);
  });
  return features;
}

/**
 * One policy's figures per feature over the reporting items (held-out when the split is on), so a
 * mixed dataset cannot hide a regression on a small feature behind a good overall mean.
 * Features are sorted by name with the unlabelled group (null) last; a dataset where no reporting
 * item names a feature yields [] rather than one group that repeats the overall row.
 */
export function featureFigures(args: {
  id: string;
  /** Item i's feature (itemFeatures). */
  features: ReadonlyArray<string | null>;
  outcome: PolicyOutcome;
  mask: Mask;
  seed: string;
}): FeatureSummary[] {
  const { features, outcome, mask } = args;
  const groups = new Map<string | null, number[]>();
  for (let i = 0; i < features.length; i++) {
    if (!mask[i]) continue;
    const feature = features[i]!;
    const members = groups.get(feature);
    if (members) members.push(i);
    else groups.set(feature, [i]);
  }
  if (groups.size === 0 || (groups.size === 1 && groups.has(null))) return [];
  const names = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return names.map((feature) => {
    const members = groups.get(feature)!;
    const quality = Float64Array.from(members, (i) => outcome.quality[i]!);
    let cost = 0;
    for (const i of members) cost += outcome.cost[i]!;
    // A per-feature seed keeps each interval reproducible and independent of the other features.
    const q = qualityInterval(quality, { seed: `${args.seed}:${args.id}:feature:${feature ?? ""}` });
    return {
      feature,
      items: members.length,
      quality: { mean: q.mean, ci: [q.lower, q.upper] },
      costPer1k: (1000 * cost) / members.length,
    };
  });
}
