import { InputError } from "../core/errors.ts";
import type { AnyRouter, RouterParams } from "../routing/router.ts";
import type { ScorePhase } from "./score-phase.ts";

/** Runs the pure `decide` half over stored scores: one model index per item. */
export function decideAll(
  router: AnyRouter,
  phase: ScorePhase,
  params: RouterParams,
  modelIndex: ReadonlyMap<string, number>,
): Int32Array {
  const n = phase.scores.length;
  const choice = new Int32Array(n);
  const decide = router.decide as (scores: unknown, params: RouterParams) => { model: string };
  for (let i = 0; i < n; i++) {
    const model = decide(phase.scores[i], params).model;
    const k = modelIndex.get(model);
    if (k === undefined) {
      throw new InputError(
        `router ${router.id}`,
        `params ${JSON.stringify(params)}`,
        `decide() chose "${model}", which is not a candidate model`,
        `return one of: ${[...modelIndex.keys()].join(", ")}`,
      );
    }
    choice[i] = k;
  }
  return choice;
}
