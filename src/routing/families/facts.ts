import type { ModelId } from "../../core/types.ts";

/**
 * What the built-in router families are built from: figures of the candidates on calibration
 * items only, and what the run can call. Every choice a family makes (which model is strong,
 * which cheap models probe) is a fixed rule over these, the same for any task.
 */
export interface FamilyFacts {
  /** Candidate ids, in eval order. */
  models: readonly ModelId[];
  /** Per model: mean score on calibration items. */
  quality: readonly number[];
  /** Per model: mean cost per item on calibration items (USD). */
  cost: readonly number[];
  /** How many calibration items the families are fitted on, when known (kNN's fit is quadratic in it). */
  calibrationItems?: number;
  /** The eval's declared tiers, when it names them. */
  weak?: ModelId;
  strong?: ModelId;
  /**
   * Whether the run can make a call to `model` that no recorded answer covers (a classifier's
   * prompt): false for replay models, and for networked ones in an offline run.
   */
  canCallBeyondAnswers(model: ModelId): boolean;
  /** Whether the run can embed with `embedder` (a spec): false for a networked one in an offline run. */
  canEmbed(embedder: string): boolean;
  /** The per-item oracle's model for an item id (best score, cheapest among ties), for the oracle policy. */
  oracleChoice(itemId: string): ModelId;
}

/** The candidates' calibration figures (what the fixed rules below read). */
export type CalibrationFigures = Pick<FamilyFacts, "models" | "quality" | "cost">;

/** The best model on calibration: highest quality, ties to the cheaper. */
export function bestIndex(f: CalibrationFigures): number {
  let best = 0;
  for (let k = 1; k < f.models.length; k++) {
    const dq = f.quality[k]! - f.quality[best]!;
    if (dq > 1e-12 || (Math.abs(dq) <= 1e-12 && f.cost[k]! < f.cost[best]!)) best = k;
  }
  return best;
}

/**
 * Cheap models: those costing at most half the best's calibration cost, most accurate first
 * (ties to the cheaper). The probes and the weak tier come from these.
 */
export function cheapModels(f: CalibrationFigures): number[] {
  const best = bestIndex(f);
  const bestCost = f.cost[best]!;
  return f.models
    .map((_, k) => k)
    .filter((k) => k !== best && f.cost[k]! <= bestCost / 2)
    .sort((a, b) => f.quality[b]! - f.quality[a]! || f.cost[a]! - f.cost[b]!);
}

/**
 * Two tiers: the eval's, or strong = the best model and weak = the most accurate cheap model.
 * null when no model costs at most half the best's (nothing to route to).
 */
export function twoTiers(f: FamilyFacts): { weak: ModelId; strong: ModelId } | null {
  if (f.weak && f.strong) return { weak: f.weak, strong: f.strong };
  const cheap = cheapModels(f);
  if (!cheap.length) return null;
  return { weak: f.models[cheap[0]!]!, strong: f.models[bestIndex(f)]! };
}
