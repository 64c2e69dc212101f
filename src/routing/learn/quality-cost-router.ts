import { z } from "zod";
import type { ModelId } from "../../core/types.ts";
import { inputText } from "../builtin/length.ts";
import { answerKey } from "../confidence/final-answer.ts";
import { lengthOneOf, requireModels } from "../params.ts";
import { defineRouter, type FitExample, type Router } from "../router.ts";
import { CrossFitted } from "./cross-fitted.ts";
import { addHashedNgrams } from "./hashing.ts";
import { trainLogisticCv } from "./logistic.ts";
import { dot, type SparseMatrix, type SparseRow, sigmoid, toSparseMatrix } from "./sparse.ts";
import { TEXT_FEATURES, textFeatures } from "./text-features.ts";

export interface QualityCostScores {
  x: SparseRow;
  /** Indices (into the router's models) whose answers the score step already paid for (the probes). */
  probed: number[];
}

export interface QualityCostParams {
  [key: string]: number | number[] | string;
  /** Quality points one is willing to give up per unit of relative cost (1 = the dearest model). */
  lambda: number;
  /** Per model, its logistic-regression weights (bias last), concatenated; [] before fitting. */
  weights: number[];
  /** Per model, mean cost per item on calibration relative to the dearest model's. */
  costs: number[];
  predictor: string;
}

/** Lambdas the sweep traces: 0 (best predicted quality at any price), then 10^-3.5 .. 10^1. */
export const LAMBDA_GRID: readonly number[] = [0, ...Array.from({ length: 37 }, (_, i) => 10 ** (-3.5 + i * 0.125))];

/**
 * Routing over N candidates: per item, the model maximising predicted quality - lambda x cost.
 * Predicted quality is a per-model logistic regression on the item's features (predictor
 * "learned"), or each model's mean calibration quality (predictor "means": the baseline that picks
 * one model per lambda). Costs are each model's mean calibration cost relative to the dearest, and
 * a model whose answer the score step already paid for (a probe) costs nothing more. Sweeping
 * lambda traces the cost-quality curve; the eval's `select` rule picks the operating point.
 *
 * Probes: cheap models asked in the score step (their answers are ordinary, charged answer calls).
 * Their answers become features (which label each gave, whether they agree), so the learner can
 * find, for example, that when two cheap models agree their answer is as good as the flagship's.
 */
export function qualityCostRouter(opts: {
  models: readonly ModelId[];
  id?: string;
  probes?: readonly ModelId[];
  predictor?: "learned" | "means";
  bits?: number;
}): Router<QualityCostScores, QualityCostParams> {
  const models = [...opts.models];
  const probes = [...(opts.probes ?? [])];
  for (const p of probes)
    if (!models.includes(p)) throw new Error(`qualityCostRouter: probe ${p} is not one of the models`);
  const bits = opts.bits ?? 10;
  const dim = 2 ** bits + TEXT_FEATURES.length + (probes.length > 1 ? 2 : 0);
  const width = dim + 1;
  const crossFitted = new CrossFitted<QualityCostScores, Float64Array>();
  const memo = new WeakMap<QualityCostScores, { weights: number[]; q: Float64Array }>();

  const predicted = (s: QualityCostScores, p: QualityCostParams): Float64Array => {
    const honest = crossFitted.get(s, p.weights);
    if (honest !== undefined) return honest;
    const hit = memo.get(s);
    if (hit && hit.weights === p.weights) return hit.q;
    const q = new Float64Array(models.length);
    for (let m = 0; m < models.length; m++) {
      q[m] =
        honest !== undefined
          ? honest[m]!
          : p.weights.length === width * models.length
            ? sigmoid(dot(p.weights, s.x, m * width, width))
            : 0;
    }
    memo.set(s, { weights: p.weights, q });
    return q;
  };

  return defineRouter<QualityCostScores, QualityCostParams>({
    id: opts.id ?? (probes.length ? "quality-cost-probed" : "quality-cost"),
    params: { lambda: 0, weights: [], costs: models.map(() => 1), predictor: opts.predictor ?? "learned" },
    grid: LAMBDA_GRID.map((lambda) => ({ lambda })),
    paramsSchema: (ctx) =>
      z
        .strictObject({
          lambda: z.number().nonnegative(),
          weights: lengthOneOf([0, width * models.length], `fitted weights (${models.length} models x ${width})`),
          costs: lengthOneOf([models.length], "relative cost per model"),
          predictor: z.enum(["learned", "means"]),
        })
        .superRefine((_, issue) => requireModels(ctx, models, "candidate", issue)),
    async score(item, ctx) {
      const columns = new Map<number, number>();
      // Word 1-2-grams only: N per-model fits make character n-grams' extra columns costly.
      addHashedNgrams(columns, inputText(item), "input", bits, { chars: false });
      const answers = await Promise.all(probes.map((p) => ctx.call(p, ctx.request)));
      const keys = answers.map((a) => (a.error ? "<error>" : answerKey(a.text)));
      // Which answer each probe gave, hashed with the probe's position (so labels of any task fit).
      for (const [k, key] of keys.entries()) {
        addHashedNgrams(columns, key, `probe${k}`, bits, { chars: false });
      }
      let at = 2 ** bits;
      for (const v of textFeatures(inputText(item))) {
        if (v !== 0) columns.set(at, v);
        at++;
      }
      if (probes.length > 1) {
        const distinct = new Set(keys).size;
        columns.set(at, distinct === 1 ? 1 : -1);
        columns.set(at + 1, (distinct - 1) / (probes.length - 1));
      }
      const index = [...columns.keys()].sort((a, b) => a - b);
      return {
        x: { index, value: index.map((j) => columns.get(j)!) },
        probed: probes.map((p) => models.indexOf(p)),
      };
    },
    fit(examples: ReadonlyArray<FitExample<QualityCostScores>>, params) {
      const rows = examples.map((e) => e.scores.x);
      // One matrix for the N per-model fits (the same rows each time), made at the first.
      let matrix: SparseMatrix | undefined;
      const meanCost = models.map((m) =>
        mean(examples.map((e) => e.outcomes.find((o) => o.model === m)?.costUsd ?? 0)),
      );
      const dearest = Math.max(...meanCost, 1e-300);
      const weights: number[] = [];
      const outOfFold = examples.map(() => new Float64Array(models.length));
      models.forEach((m, k) => {
        const targets = examples.map((e) => e.outcomes.find((o) => o.model === m)?.score ?? 0);
        if (params.predictor === "means") {
          const q = Math.min(1 - 1e-6, Math.max(1e-6, mean(targets)));
          weights.push(...new Array<number>(dim).fill(0), Math.log(q / (1 - q)));
          for (const o of outOfFold) o[k] = q;
          return;
        }
        // One penalty for all N models (cross-validating each would multiply the fits by N); the
        // folds still give every calibration item a cross-fitted prediction.
        matrix ??= toSparseMatrix(rows);
        const fitted = trainLogisticCv(matrix, targets, {
          dim,
          candidates: [0.01],
          folds: 3,
          maxIterations: 150,
        });
        weights.push(...fitted.weights);
        outOfFold.forEach((o, i) => {
          o[k] = fitted.outOfFold ? sigmoid(fitted.outOfFold[i]!) : sigmoid(dot(fitted.weights, rows[i]!));
        });
      });
      crossFitted.remember(
        examples.map((e) => e.scores),
        outOfFold,
        weights,
      );
      return { weights, costs: meanCost.map((c) => c / dearest) };
    },
    decide(scores, params) {
      const q = predicted(scores, params);
      let best = 0;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let m = 0; m < models.length; m++) {
        const cost = scores.probed.includes(m) ? 0 : (params.costs[m] ?? 1);
        const value = q[m]! - params.lambda * cost;
        if (value > bestValue + 1e-12) {
          best = m;
          bestValue = value;
        }
      }
      return { model: models[best]!, reason: `predicted quality ${q[best]!.toFixed(3)} at lambda ${params.lambda}` };
    },
  });
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
