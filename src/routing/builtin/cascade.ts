import { z } from "zod";
import type { CallOptions, ChatRequest, ModelId } from "../../core/types.ts";
import type { ConfidenceSource } from "../confidence/types.ts";
import { requireModels } from "../params.ts";
import { defineRouter, type Router, type RouterContext } from "../router.ts";

export interface CascadeStage {
  model: ModelId;
  /** Combined confidence in [0, 1] that this stage's answer is right. */
  confidence: number;
  /** Each source's value (null: it could not tell), for decision logs and learned routers. */
  signals: Record<string, number | null>;
  /** Request hashes of every call made up to and including this stage (what stopping here paid). */
  uses: string[];
}

export interface CascadeScores {
  /** One entry per model except the last, cheapest first. */
  stages: CascadeStage[];
}

export interface CascadeParams {
  [key: string]: number | number[];
  /** Accept a stage's answer when its confidence is at or above this; else escalate. */
  threshold: number;
  /** Per-stage thresholds for 3+ models (stage j uses entry j); empty: `threshold` at every stage. */
  stageThresholds: number[];
}

export type Combine = "min" | "mean" | ((values: ReadonlyArray<number | null>) => number);

/** Confidence thresholds the cascade is calibrated over: 0 (accept everything) .. 1.01 (escalate everything). */
export const CASCADE_GRID: readonly number[] = [...Array.from({ length: 101 }, (_, i) => i / 100), 1.01];

/**
 * A speculative cascade, cheapest model first: each stage answers the item's own request (so an
 * accepted answer is the final answer, paid once), confidence sources judge it, and the item
 * escalates to the next model while confidence < threshold. The last model's answer is final.
 *
 * Two models: rank = 1 - confidence, so two-tier curves (APGR, CPT) are traced at full resolution.
 * Three or more: the score step calls every stage but the last, so that one pass serves the whole
 * threshold sweep; each decision names the calls it used (stages up to where it stopped), and the
 * evaluation charges only those, as production would have paid. One `threshold` applies at every
 * stage unless `stageThresholds` gives one per stage.
 */
export function cascadeRouter(opts: {
  /** Cheapest first; at least two. */
  models: readonly ModelId[];
  sources: readonly ConfidenceSource[];
  /** How source values combine: "min" (default: any doubting source escalates) or "mean", or a function. */
  combine?: Combine;
  /** Confidence when no source could tell (default 0.5). */
  unknown?: number;
  id?: string;
  threshold?: number;
}): Router<CascadeScores, CascadeParams> {
  const models = [...opts.models];
  if (models.length < 2) throw new Error("cascadeRouter: give at least two models, cheapest first");
  const combine = combiner(opts.combine ?? "min", opts.unknown ?? 0.5);
  const last = models[models.length - 1]!;
  const twoStage = models.length === 2;
  const thresholdAt = (p: CascadeParams, j: number) => p.stageThresholds[j] ?? p.threshold;

  const router: Router<CascadeScores, CascadeParams> = {
    id: opts.id ?? "cascade",
    params: { threshold: opts.threshold ?? 0.5, stageThresholds: [] },
    paramsSchema: (ctx) =>
      z
        .strictObject({
          threshold: z.number(),
          stageThresholds: z
            .array(z.number())
            .max(models.length - 1, `at most one threshold per stage (${models.length - 1} stages)`),
        })
        .superRefine((_, issue) => requireModels(ctx, models, "cascade stage", issue)),
    grid: CASCADE_GRID.map((threshold) => ({ threshold })),
    async score(item, ctx) {
      const used: string[] = [];
      const recording: RouterContext = {
        request: ctx.request,
        models: ctx.models,
        async call(model: ModelId, request: ChatRequest, callOpts?: CallOptions) {
          const result = await ctx.call(model, request, callOpts);
          used.push(result.requestHash);
          return result;
        },
        async embed(model, request, callOpts) {
          const result = await ctx.embed(model, request, callOpts);
          used.push(result.requestHash);
          return result;
        },
      };
      const stages: CascadeStage[] = [];
      for (const model of models.slice(0, -1)) {
        const answer = await recording.call(model, ctx.request);
        // Sources run together: an agreement call and an LLM verifier overlap in time.
        const values = await Promise.all(
          opts.sources.map((s) => s.confidence({ item, request: ctx.request, model, answer, ctx: recording })),
        );
        const signals = Object.fromEntries(opts.sources.map((s, k) => [s.name, values[k] ?? null]));
        // A failed call is never accepted: its "answer" is empty.
        const confidence = answer.error ? 0 : combine(values);
        stages.push({ model, confidence, signals, uses: [...used] });
      }
      return { stages };
    },
    decide(scores, params) {
      for (let j = 0; j < scores.stages.length; j++) {
        const stage = scores.stages[j]!;
        const t = thresholdAt(params, j);
        if (stage.confidence >= t) {
          const reason = `stage ${j + 1} confidence ${stage.confidence.toFixed(3)} >= ${t}`;
          return twoStage ? { model: stage.model, reason } : { model: stage.model, reason, uses: stage.uses };
        }
      }
      return { model: last, reason: `escalated: no stage reached its threshold` };
    },
  };
  if (twoStage) {
    router.rank = (scores) => 1 - (scores.stages[0]?.confidence ?? 0);
    router.decideBatch = (scores, params, indexOf, out) => {
      const weak = indexOf(models[0]!);
      const strong = indexOf(last);
      const t = thresholdAt(params, 0);
      for (let i = 0; i < scores.length; i++) out[i] = (scores[i]!.stages[0]?.confidence ?? 0) >= t ? weak : strong;
    };
  }
  return defineRouter(router);
}

function combiner(combine: Combine, unknown: number): (values: ReadonlyArray<number | null>) => number {
  if (typeof combine === "function") return combine;
  return (values) => {
    const known = values.filter((v): v is number => v !== null);
    if (known.length === 0) return unknown;
    return combine === "min" ? Math.min(...known) : known.reduce((a, b) => a + b, 0) / known.length;
  };
}
