import { z } from "zod";
import { ModelSpec } from "../contracts/model-spec.ts";
import { FAMILY_NAMES } from "../routing/families/families.ts";
import type { AnyRouter, Router } from "../routing/router.ts";

const RouterShape = z.custom<AnyRouter>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Router).id === "string" &&
    typeof (value as Router).score === "function" &&
    typeof (value as Router).decide === "function",
  { message: "expected a router built with defineRouter({ id, params, score, decide })" },
);

// Scorer configs are validated by the scoring room; here we only require the shape's outline.
const ScorerRef = z.union([z.string().min(1), z.looseObject({ type: z.string().min(1) })]);

export const GateSpec = z.strictObject({
  /** Router id whose held-out figures are gated. */
  policy: z.string().min(1),
  minQuality: z.number().min(0).max(1).optional(),
  maxCostPer1k: z.number().nonnegative().optional(),
});
export type GateSpec = z.infer<typeof GateSpec>;

/**
 * The pull-request gate (docs/metrics.md#the-gate): the candidate router, at its calibrated operating
 * point, against the committed production routing config, paired on the same held-out items.
 */
export const IncumbentGateSpec = z.strictObject({
  /** Router id of this eval whose operating point is the candidate. */
  candidate: z.string().min(1),
  /**
   * The incumbent: the committed production routing config (what `routegate export` wrote),
   * relative to the working directory. The key keeps its first name.
   */
  baseline: z.string().min(1).default("routing.config.json"),
  /** Largest allowed quality drop, absolute (0.02 = two points). */
  maxDrop: z.number().min(0).max(1),
  maxCostPer1k: z.number().nonnegative().optional(),
  /** p99 cost per request in USD per 1K requests (checked only with >= 100 items). */
  maxP99CostPer1k: z.number().nonnegative().optional(),
  maxP95LatencyMs: z.number().nonnegative().optional(),
  /**
   * One Bonferroni-adjusted check per metadata.feature besides the overall one. true: a feature
   * with fewer items than the gate can decide on is reported "undecided" and does not block (the
   * overall check still decides); "strict": it blocks; false: no per-feature checks.
   */
  perFeature: z.union([z.boolean(), z.literal("strict")]).default(true),
});
export type IncumbentGateSpec = z.infer<typeof IncumbentGateSpec>;

export const SelectSpec = z.strictObject({
  /** Cheapest operating point whose calibration quality >= ratio x the best single model's. */
  minQualityRatio: z.number().positive().max(1.5).optional(),
  /** Best-quality operating point whose calibration cost per 1K requests stays under this. */
  maxCostPer1k: z.number().nonnegative().optional(),
  /** Operating point whose strong-call share on calibration is closest to this. */
  targetStrongShare: z.number().min(0).max(1).optional(),
  /**
   * Cheapest operating point non-inferior to this model on calibration items: "best" (the single
   * model with the highest calibration quality, ties to the cheaper) or a candidate's id. The
   * paired 95% interval's lower bound of quality minus the model's must be above -margin.
   */
  nonInferiorTo: z.string().min(1).optional(),
  /** The non-inferiority margin, absolute (0.01 = one point); only with nonInferiorTo. Default 0.01. */
  margin: z.number().min(0).max(1).optional(),
});
export type SelectSpec = z.infer<typeof SelectSpec>;

export const EvalConfig = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, '.', '_' or '-' (it names report folders)"),
  description: z.string().optional(),
  /** Dataset JSONL, relative to the eval file. */
  dataset: z.string().min(1),
  /** Handlebars templates relative to the eval file: the stable system part first, the per-item part last. */
  prompt: z.strictObject({ system: z.string().optional(), user: z.string().min(1) }).optional(),
  request: z
    .strictObject({
      maxTokens: z.number().int().positive(),
      temperature: z.number().min(0).max(2).optional(),
      responseFormat: z.enum(["text", "json"]).optional(),
      cacheTtl: z.enum(["5m", "1h"]).optional(),
    })
    .default({ maxTokens: 256, temperature: 0 }),
  models: z.array(z.union([z.string().min(1), ModelSpec])).min(1, "list at least one candidate model"),
  weak: z.string().optional(),
  strong: z.string().optional(),
  scorer: ScorerRef,
  routers: z.array(RouterShape).default([]),
  /**
   * Built-in router families, built at run time from calibration figures by fixed rules (random,
   * oracle, length, cascade, learned, quality-cost, knn, classifier); ad-hoc runs use them all.
   */
  families: z.array(z.enum(FAMILY_NAMES)).default([]),
  /** The embedding model of the kNN family (default "local:hashed-tfidf", keyless and offline). */
  embedder: z.string().min(1).optional(),
  split: z
    .union([
      z.literal(false),
      z
        .strictObject({
          heldOutFraction: z.number().gt(0).lt(1).default(0.5),
          seed: z.string().default("routegate"),
          /**
           * Share of items kept for fine-tuning (`routegate distill`): taken from the top of the same
           * hash range, so held-out items never move; calibration and the gate never see them.
           */
          trainFraction: z.number().gt(0).lt(1).optional(),
        })
        .refine((s) => s.trainFraction === undefined || s.heldOutFraction + s.trainFraction < 1, {
          path: ["trainFraction"],
          message: "heldOutFraction + trainFraction must stay under 1 (calibration needs items)",
        }),
    ])
    .default({ heldOutFraction: 0.5, seed: "routegate" }),
  select: SelectSpec.default({ minQualityRatio: 0.95 }),
  gates: z.array(GateSpec).default([]),
  gate: IncumbentGateSpec.optional(),
  /** Traffic profile (JSON) relative to the eval file: adds the cost plan (`routegate plan`) to the report. */
  traffic: z.string().min(1).optional(),
});
export type EvalConfigInput = z.input<typeof EvalConfig>;
export type EvalConfig = z.output<typeof EvalConfig>;

/** Identity function that gives eval files type checking and editor completion. */
export function defineEval(config: EvalConfigInput): EvalConfigInput {
  return config;
}
