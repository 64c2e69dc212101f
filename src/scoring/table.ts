// type -> factory. Adding a scorer: a config schema in scorer.ts, a handler file, one line here.
import { choiceScorer } from "./handlers/choice.ts";
import { containsScorer } from "./handlers/contains.ts";
import { exactScorer } from "./handlers/exact.ts";
import { jsonScorer } from "./handlers/json.ts";
import { labelScorer } from "./handlers/label.ts";
import { normalizedScorer } from "./handlers/normalized.ts";
import { numericScorer } from "./handlers/numeric.ts";
import { regexScorer } from "./handlers/regex.ts";
import type { ConfigOf, Scorer, ScorerType } from "./scorer.ts";

export type ScorerFactory<K extends ScorerType> = (config: ConfigOf<K>) => Scorer;
export type ScorerTable = { readonly [K in ScorerType]: ScorerFactory<K> };

export const scorerTable: ScorerTable = {
  exact: exactScorer,
  normalized: normalizedScorer,
  label: labelScorer,
  numeric: numericScorer,
  regex: regexScorer,
  json: jsonScorer,
  contains: containsScorer,
  choice: choiceScorer,
};

export const scorerTypes: readonly ScorerType[] = Object.keys(scorerTable) as ScorerType[];

/** Build a scorer from a validated config (the correlated-union call, typed without casts). */
export function buildScorer<K extends ScorerType>(type: K, config: ConfigOf<K>): Scorer {
  const factory: ScorerFactory<K> = scorerTable[type];
  return factory(config);
}
