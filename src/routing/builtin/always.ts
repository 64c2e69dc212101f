import { z } from "zod";
import { modelParam } from "../params.ts";
import { defineRouter, type Router } from "../router.ts";

/** The single-model baseline: every item to one model. Its id is `always:<model id>`. */
export function alwaysRouter(model: string): Router<null, { model: string }> {
  return defineRouter<null, { model: string }>({
    id: `always:${model}`,
    params: { model },
    paramsSchema: (ctx) =>
      z.strictObject({
        model: modelParam(ctx).refine((m) => m === model, `must be "${model}", the model the router id names`),
      }),
    async score() {
      return null;
    },
    decide: (_scores, params) => ({ model: params.model }),
  });
}
