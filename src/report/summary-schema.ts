import { z } from "zod";

// summary.json is a public contract (DESIGN.md "Contracts"): extend it, version it, never break it.
export const SUMMARY_SCHEMA_VERSION = 1;

const Interval = z.tuple([z.number(), z.number()]);
const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const CostStats = z.object({
  per1k: z.number(),
  p50: z.number(),
  p90: z.number(),
  /** null when n < 100 ("n too small", METRICS.md section 2). */
  p99: z.number().nullable(),
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
  usageEstimated: z.boolean(),
  latencyMs: z.object({ p50: z.number(), p95: z.number() }),
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
});

export const GateCheck = z.object({
  name: z.string(),
  passed: z.boolean(),
  value: z.number().nullable(),
  threshold: z.number(),
  detail: z.string().optional(),
});

export const Summary = z.object({
  schemaVersion: z.literal(SUMMARY_SCHEMA_VERSION),
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
  }),
  priceTable: z.object({ version: z.string(), date: z.string() }),
  scorer: z.string(),
  twoTier: z.object({ weak: z.string(), strong: z.string() }).nullable(),
  models: z.array(ModelSummary),
  routers: z.array(RouterSummary),
  oracle: z.object({ quality: z.number(), costPer1k: z.number() }),
  frontier: z.array(z.string()),
  aiq: z.object({ routers: z.number().nullable(), models: z.number().nullable() }),
  collection: z.object({
    requests: z.number().int(),
    fromStore: z.number().int(),
    providerCalls: z.number().int(),
    errors: z.number().int(),
  }),
  gate: z.object({ passed: z.boolean(), checks: z.array(GateCheck) }),
  judge: z.null(),
  warnings: z.array(z.string()),
});
export type Summary = z.infer<typeof Summary>;
export type RouterSummary = z.infer<typeof RouterSummary>;
export type ModelSummary = z.infer<typeof ModelSummary>;
export type GateCheck = z.infer<typeof GateCheck>;
