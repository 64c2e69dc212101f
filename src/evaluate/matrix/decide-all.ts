import { canonicalModelId } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import { describeParams } from "../../routing/params.ts";
import type { AnyRouter, Choice, RouterParams } from "../../routing/router.ts";
import { asRouterFailure } from "./router-failure.ts";
import type { ScorePhase } from "./score-phase.ts";
import { int32s } from "./typed-slab.ts";

/**
 * One model index per item, plus, where a decision named the score-step calls it relied on
 * (`Choice.uses`, a staged cascade that stopped early), those calls per item.
 */
export type ChoiceVector = Int32Array & { uses?: ReadonlyArray<readonly string[] | undefined> | undefined };

/** Runs the pure `decide` half over stored scores: one model index per item. */
export function decideAll(
  router: AnyRouter,
  phase: ScorePhase,
  params: RouterParams,
  modelIndex: ReadonlyMap<string, number>,
): ChoiceVector {
  return decideInto(router, phase, params, modelIndex, int32s(phase.scores.length));
}

/** decideAll into a given vector (sweeps reuse one across parameter sets); any old `uses` is cleared. */
export function decideInto(
  router: AnyRouter,
  phase: ScorePhase,
  params: RouterParams,
  modelIndex: ReadonlyMap<string, number>,
  choice: ChoiceVector,
): ChoiceVector {
  const n = phase.scores.length;
  delete choice.uses;
  const indexOf = (model: string): number => {
    const k = modelIndex.get(model) ?? aliasIndex(model, modelIndex);
    if (k === undefined) throw notACandidate(router, params, model, modelIndex);
    return k;
  };
  if (router.decideBatch) {
    // The fast path: one call per sweep point instead of one per item (routers promise it agrees with decide).
    try {
      router.decideBatch(phase.scores, params, indexOf, choice);
    } catch (err) {
      throw asRouterFailure(router.id, "decide", null, err);
    }
    return choice;
  }
  const decide = router.decide as (scores: unknown, params: RouterParams) => Choice;
  let uses: (readonly string[] | undefined)[] | undefined;
  for (let i = 0; i < n; i++) {
    let decision: Choice;
    try {
      decision = decide(phase.scores[i], params);
    } catch (err) {
      throw asRouterFailure(router.id, "decide", phase.itemId?.(i) ?? null, err);
    }
    choice[i] = indexOf(decision.model);
    if (decision.uses) {
      uses ??= new Array<readonly string[] | undefined>(n);
      uses[i] = decision.uses;
    }
  }
  if (uses) choice.uses = uses;
  return choice;
}

/** A spec string of a candidate (`replay:m@file.jsonl` for `replay:m`) decides for that candidate. */
function aliasIndex(model: string, modelIndex: ReadonlyMap<string, number>): number | undefined {
  const id = canonicalModelId(model, [...modelIndex.keys()]);
  return id === undefined ? undefined : modelIndex.get(id);
}

function notACandidate(
  router: AnyRouter,
  params: RouterParams,
  model: string,
  modelIndex: ReadonlyMap<string, number>,
): InputError {
  return new InputError(
    `router ${router.id}`,
    `params ${describeParams(params)}`,
    `decide() chose "${model}", which is not a candidate model`,
    `return one of: ${[...modelIndex.keys()].join(", ")}`,
  );
}
