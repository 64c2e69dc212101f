import { z } from "zod";
import { JudgeSummary } from "./judge-summary.ts";
import { TokenPricing } from "./model-spec.ts";

// summary.json is a public contract (docs/architecture.md#contracts): extend it, version it, never break it.
// 2: `gate.verdict` ("no-gates" for a run that declared none, which version 1 reported as passed).
export const SUMMARY_SCHEMA_VERSION = 2;
/** Versions this reader still accepts: a summary written by an older routegate loads unchanged. */
const READABLE_VERSIONS = [1, 2] as const;

const Interval = z.tuple([z.number(), z.number()]);
const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const CostStats = z.object({
  per1k: z.number(),
  p50: z.number(),
  p90: z.number(),
  /** null when n < 100 ("n too small", docs/metrics.md#cost). */
  p99: z.number().nullable(),
});

/**
 * One policy's figures on the reporting items of one feature (`metadata.feature`); feature null
 * groups the items that name none. Added in 0.1.0 after schemaVersion 1 shipped, hence optional
 * where it is read: summaries written before it still validate.
 */
export const FeatureSummary = z.object({
  feature: z.string().nullable(),
  items: z.number().int(),
  quality: z.object({ mean: z.number(), ci: Interval }),
  costPer1k: z.number(),
});

export const ModelSummary = z.object({
  id: z.string(),
  provider: z.string(),
  snapshot: z.string(),
  tier: z.string().nullable(),
  quality: z.number(),
  qualityCi: Interval,
  costPer1k: z.number(),
  cost: CostStats,
  errors: z.number().int(),
  cacheHitRate: z.number().nullable(),
  tokens: z.object({ input: z.number(), cachedInput: z.number(), output: z.number(), reasoning: z.number() }),
  /** Some answer's tokens were counted by routegate's tokenizer, not reported by the provider. */
  usageEstimated: z.boolean(),
  /**
   * Some answer's cost is an estimate: tokens counted by routegate priced at list price. false when
   * every cost is a provider's usage at the price, or a recorded outcome's own `costUsd` (even
   * with counted tokens). Reports mark "(est.)" from it; absent in older summaries, which fall
   * back to `usageEstimated`. Additive (0.1.0).
   */
  costEstimated: z.boolean().optional(),
  latencyMs: z.object({ p50: z.number(), p95: z.number() }),
  /** Share of this model's answers billed at the batch price (additive; absent in older summaries). */
  batchShare: z.number().optional(),
  /** The same calls priced with every input token uncached: what prompt caching saved (null: not priceable). */
  costPer1kWithoutCache: z.number().nullable().optional(),
  /** A fine-tuned candidate's base model and one-off training cost, shown beside its per-request cost. */
  fineTune: z.object({ baseModel: z.string(), trainingCostUsd: z.number() }).nullable().optional(),
  /** Where the price came from: a table row, the spec, or GPU-hours at configured or measured throughput. */
  pricing: z
    .object({
      source: z.string(),
      note: z.string().optional(),
      /**
       * The price the run applied, USD per 1M tokens (the spec's own pricing, else the table's row;
       * GPU-hours converted per token). The cost planner prices levers with it. Additive (0.1.0).
       */
      usdPerMillion: TokenPricing.optional(),
    })
    .optional(),
});

export const RouterSummary = z.object({
  id: z.string(),
  /** The operating point chosen on the calibration split (or the defaults when nothing was swept). */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.number())])),
  /** true: figures measured on held-out items only; false: in-sample (all items). */
  heldOut: z.boolean(),
  items: z.number().int(),
  quality: z.object({ mean: z.number(), ci: Interval }),
  costPer1k: z.number(),
  cost: CostStats,
  latencyMs: z.object({ p50: z.number(), p95: z.number() }),
  modelShare: z.record(z.string(), z.number()),
  /** Share of items on which the strong model was called at all (two-tier evals). */
  strongShare: Nullable(z.number()),
  pgr: Nullable(z.number()),
  apgr: Nullable(z.number()),
  apgrDollar: Nullable(z.number()),
  cpt: Nullable(z.object({ "50": z.number().nullable(), "80": z.number().nullable(), "95": z.number().nullable() })),
  cptDollar: Nullable(
    z.object({ "50": z.number().nullable(), "80": z.number().nullable(), "95": z.number().nullable() }),
  ),
  /** Quality gap to the per-item oracle on the same items. */
  oracleGap: z.number(),
  errors: z.number().int(),
  /** Per-feature figures, [] when the items name no feature (additive; absent in older summaries). */
  features: z.array(FeatureSummary).optional(),
  /**
   * 1 - C / C_best on the reporting items, where "best" is the single model with the highest
   * calibration quality (ties: the cheaper); null when this policy's quality falls short of that
   * model's by more than the policy's own confidence interval (its upper bound is below it), or
   * when that model costs nothing. Additive; absent in older summaries.
   */
  savingAtBestQuality: z.number().nullable().optional(),
  /** The single model `savingAtBestQuality` compares with. Additive; absent in older summaries. */
  bestSingleModel: z.string().optional(),
  /**
   * The chosen operating point's figures on the calibration items (what the select rule and the
   * run's recommendation compared): quality, cost per 1K and, under select.nonInferiorTo, the
   * lower bound of the paired interval against the reference. Additive.
   */
  calibration: z
    .object({
      items: z.number().int(),
      quality: z.number(),
      costPer1k: z.number(),
      nonInferiorityLower: z.number().nullable(),
      /**
       * The same figures cross-fitted: the point chosen on one half of the calibration items and
       * measured on the other, both ways (what the recommendation compares policies by).
       */
      crossFitted: z
        .object({ quality: z.number(), costPer1k: z.number(), nonInferiorityLower: z.number().nullable() })
        .optional(),
    })
    .optional(),
  /**
   * Under select.nonInferiorTo: the same paired test on the reporting items (Newcombe for binary
   * scores, else the paired normal interval), 95% two-sided; passed when lower > -margin. Additive.
   */
  nonInferiority: z
    .object({
      reference: z.string(),
      margin: z.number(),
      delta: z.number(),
      lower: z.number(),
      upper: z.number(),
      passed: z.boolean(),
      test: z.enum(["newcombe", "paired-normal"]),
    })
    .optional(),
  /** Embedding models the router's score step calls (ctx.embed), as model specs; exported with it. Additive. */
  embedders: z.array(z.string()).optional(),
  /** true for a policy that reads the answers' scores (the oracle): never recommended or exported. Additive. */
  evaluationOnly: z.boolean().optional(),
});

/** A router whose own code threw: reported as its failure, the other routers' results stand. */
export const RouterFailureSummary = z.object({
  router: z.string(),
  step: z.enum(["score", "fit", "rank", "decide"]),
  /** The item it threw on; null for a step over all items (fit). */
  itemId: z.string().nullable(),
  error: z.string(),
  /** Where it threw (path:line:column, relative to the working directory); null when unknown. */
  location: z.string().nullable(),
});

/** One adversarial item: which model each policy chose, its rank there, and the score it got. */
export const AdversarialItem = z.object({
  itemId: z.string(),
  tags: z.array(z.string()),
  /** Router id -> the final answer's model. */
  choices: z.record(z.string(), z.string()),
  /** Router id -> the router's rank for the item (routers with rank() only). */
  scores: z.record(z.string(), z.number()).optional(),
  /** Router id -> the final answer's quality score in [0, 1]. */
  quality: z.record(z.string(), z.number()),
  heldOut: z.boolean(),
});

export const GateCheck = z.object({
  name: z.string(),
  passed: z.boolean(),
  value: z.number().nullable(),
  threshold: z.number(),
  detail: z.string().optional(),
  /**
   * False for a check that did not pass but does not decide the verdict: a feature with fewer
   * items than the gate can decide on (`perFeature: true`). Absent: the check counts. Additive.
   */
  blocking: z.boolean().optional(),
  /** Set when too few items decide this check: about how many would. Additive. */
  undecided: z.object({ itemsNeeded: z.number().int().nullable() }).optional(),
});

export const Summary = z.object({
  schemaVersion: z.union(READABLE_VERSIONS.map((v) => z.literal(v))),
  eval: z.string(),
  runId: z.string(),
  createdAt: z.string(),
  simulated: z.boolean(),
  dataset: z.object({ name: z.string(), items: z.number().int(), hash: z.string() }),
  split: z.object({
    seed: z.string(),
    heldOutFraction: z.number(),
    calibration: z.number().int(),
    heldOut: z.number().int(),
    /** Items kept for fine-tuning (split.trainFraction): in no figure of this summary. */
    train: z.number().int().optional(),
  }),
  priceTable: z.object({
    version: z.string(),
    date: z.string(),
    /**
     * Prices given on the command line (`--price MODEL=input,output[,cachedInput]`, USD per 1M
     * tokens), which win over the table's rows for those models. Absent when none. Additive (0.1.0).
     */
    overrides: z
      .array(
        z.object({
          model: z.string(),
          input: z.number(),
          output: z.number(),
          cachedInput: z.number().optional(),
          source: z.literal("cli-override"),
        }),
      )
      .optional(),
  }),
  scorer: z.string(),
  twoTier: z.object({ weak: z.string(), strong: z.string() }).nullable(),
  models: z.array(ModelSummary),
  routers: z.array(RouterSummary),
  oracle: z.object({ quality: z.number(), costPer1k: z.number() }),
  frontier: z.array(z.string()),
  aiq: z.object({
    routers: z.number().nullable(),
    models: z.number().nullable(),
    /**
     * AIQ of the routing policies alone, RouterBench's way: every operating point each router's
     * sweep reaches on the reporting items (single models and the oracle left out), over the
     * single models' cost range. Additive.
     */
    policies: z.number().nullable().optional(),
  }),
  collection: z.object({
    requests: z.number().int(),
    fromStore: z.number().int(),
    providerCalls: z.number().int(),
    errors: z.number().int(),
    // Added in 0.1.0 after schemaVersion 1 shipped (optional so older summaries still validate).
    /** USD this run spent on provider calls; timed-out attempts count at their worst case. */
    spentUsd: z.number().optional(),
    /** The run's --max-cost cap; null when none. */
    budgetUsd: z.number().nullable().optional(),
    /** Provider attempts that timed out (their cost is unknown; the budget counted the worst case). */
    timedOut: z.number().int().optional(),
    /** Up to 10 failed outcomes the run used, by model and item (`errors` counts all of them). */
    failures: z
      .array(
        z.object({
          model: z.string(),
          itemId: z.string(),
          role: z.string(),
          code: z.string().nullable(),
          error: z.string(),
          /** A configured key was found in the error and replaced (added in 0.1.0). */
          redacted: z.boolean().optional(),
        }),
      )
      .optional(),
    /**
     * Outcomes the run used whose reply (answer or error) held a configured API key, replaced by
     * "[redacted key]" before it was stored; the first 10 (model, item, role) are listed. Absent
     * when none (added in 0.1.0).
     */
    redacted: z.number().int().optional(),
    redactedOutcomes: z.array(z.object({ model: z.string(), itemId: z.string(), role: z.string() })).optional(),
  }),
  gate: z.object({
    /** true unless a blocking check failed (also true when no gate was declared: see `verdict`). */
    passed: z.boolean(),
    /**
     * The verdict in words: "passed", "blocked", or "no-gates" when the run declared no gate (exit
     * 0, yet nothing was checked). Schema version 2; absent in version 1 summaries (gateVerdict()).
     */
    verdict: z.enum(["passed", "blocked", "no-gates"]).optional(),
    checks: z.array(GateCheck),
    /**
     * The incumbent: the committed production routing config the candidate was compared with
     * (absent: no pull-request gate declared; null: none applied). Added in 0.1.0.
     */
    incumbent: z.object({ file: z.string(), routerId: z.string(), runId: z.string() }).nullable().optional(),
    /** Deprecated: the same as `incumbent`, under its first name; kept so existing readers work. */
    baseline: z.object({ file: z.string(), routerId: z.string(), runId: z.string() }).nullable().optional(),
    /** The git ref the gate's inputs were read from (`--gate-base`). */
    inputsFrom: z.string().optional(),
    /** Gate inputs the change altered: judged by the base branch's versions, and flagged for their own review. */
    reviewRequired: z.array(z.string()).optional(),
    /** With `--gate-base`: whose code computed the verdict (the base ref, or "this checkout"). Additive. */
    codeFrom: z.string().optional(),
  }),
  /** Who judged and how far to trust it (docs/metrics.md#judge); null when no judge took part. Added in 0.1.0. */
  judge: JudgeSummary.nullable(),
  warnings: z.array(z.string()),
  /**
   * Items marked `metadata.adversarial` (prompt injections aimed at routers or models) and what
   * each policy did with them. Additive (absent in older summaries and where no item is marked).
   */
  adversarial: z.array(AdversarialItem).optional(),
  /**
   * The policy the run recommends: the eval's select rule applied across every policy's chosen
   * point on calibration items (never the best on held-out), the oracle excluded. Additive.
   */
  recommendation: z.object({ router: z.string(), rule: z.string() }).optional(),
  /** Routers whose own code threw (the run exits 3 after writing its report). Additive. */
  routerFailures: z.array(RouterFailureSummary).optional(),
  /** Built-in families this run could not build, and why (calls a replay-only run cannot make, ...). Additive. */
  skippedRouters: z.array(z.object({ family: z.string(), reason: z.string() })).optional(),
});
export type Summary = z.infer<typeof Summary>;
export type GateVerdict = NonNullable<Summary["gate"]["verdict"]>;

/** A summary's verdict, also for version 1 summaries, which wrote none. */
export function gateVerdict(gate: Pick<Summary["gate"], "passed" | "checks" | "verdict">): GateVerdict {
  return gate.verdict ?? (gate.checks.length === 0 ? "no-gates" : gate.passed ? "passed" : "blocked");
}

/** How reports and the terminal print a verdict. */
export const VERDICT_LABEL: Record<GateVerdict, string> = {
  passed: "PASSED",
  blocked: "BLOCKED",
  "no-gates": "NO GATES",
};
export type RouterFailureSummary = z.infer<typeof RouterFailureSummary>;
export type RouterSummary = z.infer<typeof RouterSummary>;
export type ModelSummary = z.infer<typeof ModelSummary>;
export type GateCheck = z.infer<typeof GateCheck>;
export type FeatureSummary = z.infer<typeof FeatureSummary>;
export type AdversarialItem = z.infer<typeof AdversarialItem>;
