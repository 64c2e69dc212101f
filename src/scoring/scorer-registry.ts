// type -> factory. Adding a scorer: a config schema in scorer.ts, a handler file, one line here.
// Judge scorers have their own registry: they are built with a context (the eval's folder for
// template files, the exact scorer to agree with) and score the whole answer matrix, async.
import { choiceScorer } from "./handlers/choice.ts";
import { containsScorer } from "./handlers/contains.ts";
import { exactScorer } from "./handlers/exact.ts";
import { jsonScorer } from "./handlers/json.ts";
import { labelScorer } from "./handlers/label.ts";
import { normalizedScorer } from "./handlers/normalized.ts";
import { numericScorer } from "./handlers/numeric.ts";
import { regexScorer } from "./handlers/regex.ts";
import type { JudgeScorerConfig, JudgeScorerType } from "./judge/config.ts";
import { createLiveJudge, type LiveJudgeContext } from "./judge/live-judge.ts";
import { createRecordedJudge } from "./judge/recorded-judge.ts";
import type { JudgeScorer } from "./judge/types.ts";
import type { ConfigOf, Scorer, ScorerType } from "./scorer.ts";

export type ScorerFactory<K extends ScorerType> = (config: ConfigOf<K>) => Scorer;
export type ScorerRegistry = { readonly [K in ScorerType]: ScorerFactory<K> };

export const scorerRegistry: ScorerRegistry = {
  exact: exactScorer,
  normalized: normalizedScorer,
  label: labelScorer,
  numeric: numericScorer,
  regex: regexScorer,
  json: jsonScorer,
  contains: containsScorer,
  choice: choiceScorer,
};

export const scorerTypes: readonly ScorerType[] = Object.keys(scorerRegistry) as ScorerType[];

/** Build a scorer from a validated config (the correlated-union call, typed without casts). */
export function buildScorer<K extends ScorerType>(type: K, config: ConfigOf<K>): Scorer {
  const factory: ScorerFactory<K> = scorerRegistry[type];
  return factory(config);
}

export type JudgeFactory<K extends JudgeScorerType> = (
  config: Extract<JudgeScorerConfig, { type: K }>,
  ctx: LiveJudgeContext,
) => JudgeScorer;
export type JudgeRegistry = { readonly [K in JudgeScorerType]: JudgeFactory<K> };

export const judgeRegistry: JudgeRegistry = {
  "judge-pairwise": createLiveJudge,
  "judge-rubric": createLiveJudge,
  "judge-reference": createLiveJudge,
  "judge-recorded": (config, ctx) => createRecordedJudge(config, ctx.agreeWith),
};

export const judgeTypes: readonly JudgeScorerType[] = Object.keys(judgeRegistry) as JudgeScorerType[];

/** Build a judge scorer from a validated config. */
export function buildJudge<K extends JudgeScorerType>(
  type: K,
  config: Extract<JudgeScorerConfig, { type: K }>,
  ctx: LiveJudgeContext,
): JudgeScorer {
  const factory: JudgeFactory<K> = judgeRegistry[type];
  return factory(config, ctx);
}
