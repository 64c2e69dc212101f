import {
  type FeatureSummary,
  type GateVerdict,
  gateVerdict,
  type RouterSummary,
  type Summary,
  VERDICT_LABEL,
} from "../contracts/summary.ts";
import { referencePolicy } from "./reference.ts";

/** Quality and cost of a row against the reference policy: the deltas a reviewer reads first. */
export interface Delta {
  quality: number | null;
  /** Relative cost change, cost / referenceCost - 1 (null when the reference costs nothing). */
  cost: number | null;
}

export interface PolicyRow {
  r: RouterSummary;
  frontier: boolean;
  reference: boolean;
  delta: Delta;
}

export interface FeatureColumn {
  feature: string | null;
  label: string;
  items: number;
}

export interface FeatureTable extends FeatureColumn {
  rows: Array<{ id: string; reference: boolean; f: FeatureSummary; delta: Delta }>;
}

export interface TierRow {
  tier: string;
  models: string[];
  input: number;
  cachedInput: number;
  output: number;
  reasoning: number;
  cacheHitRate: number | null;
  /** null when a model of the tier comes from a summary written before batch share was recorded. */
  batchShare: number | null;
}

/** What both templates render: the summary plus figures derived from it (never new measurements). */
export interface ReportView {
  s: Summary;
  /** "passed", "blocked" or "no-gates" (the page's CSS class), and how it is printed. */
  verdict: GateVerdict;
  verdictLabel: string;
  /** The policy the deltas are measured against (always-strong, else the dearest single model). */
  reference: RouterSummary | null;
  /** The gate's incumbent: the committed production config the candidate was compared with. */
  incumbent: Summary["gate"]["incumbent"] | null;
  policies: PolicyRow[];
  features: FeatureColumn[];
  /** Per policy, its feature figures aligned with `features` (null where a feature is missing). */
  featureGrid: Array<{ id: string; cells: Array<FeatureSummary | null> }>;
  featureTables: FeatureTable[];
  multiFeature: boolean;
  tiers: TierRow[];
  batchKnown: boolean;
  batchShare: number | null;
  /** Policies with a non-inferiority test (select.nonInferiorTo), for their table. */
  nonInferiorityRows: RouterSummary[];
}

export const featureLabel = (feature: string | null): string => feature ?? "(no feature)";

export function reportView(s: Summary): ReportView {
  const reference = referencePolicy(s);
  const frontier = new Set(s.frontier);
  const deltaOf = (quality: number, cost: number, base: { quality: number; cost: number } | null): Delta => ({
    quality: base ? quality - base.quality : null,
    cost: base && base.cost > 0 ? cost / base.cost - 1 : null,
  });
  const base = reference ? { quality: reference.quality.mean, cost: reference.costPer1k } : null;
  const policies = s.routers.map((r) => ({
    r,
    frontier: frontier.has(r.id),
    reference: r === reference,
    delta: deltaOf(r.quality.mean, r.costPer1k, base),
  }));

  const features = featureColumns(s.routers);
  const key = (f: string | null) => f ?? "\u0000none";
  const featureGrid = s.routers.map((r) => {
    const byName = new Map((r.features ?? []).map((f) => [key(f.feature), f]));
    return { id: r.id, cells: features.map((c) => byName.get(key(c.feature)) ?? null) };
  });
  const featureTables = features.map((c, j) => {
    const baseCell = reference ? featureGrid[s.routers.indexOf(reference)]?.cells[j] : null;
    const featureBase = baseCell ? { quality: baseCell.quality.mean, cost: baseCell.costPer1k } : null;
    const rows = s.routers.flatMap((r, i) => {
      const f = featureGrid[i]?.cells[j];
      return f
        ? [{ id: r.id, reference: r === reference, f, delta: deltaOf(f.quality.mean, f.costPer1k, featureBase) }]
        : [];
    });
    return { ...c, rows };
  });

  const tiers = tierRows(s);
  const batchKnown = tiers.every((t) => t.batchShare !== null);
  // Every model answered every item once, so the unweighted mean over models is the share of answers.
  const batchShare =
    batchKnown && s.models.length ? s.models.reduce((a, m) => a + (m.batchShare ?? 0), 0) / s.models.length : null;
  const verdict = gateVerdict(s.gate);
  return {
    s,
    verdict,
    verdictLabel: VERDICT_LABEL[verdict],
    reference,
    // Summaries written before `gate.incumbent` name it `gate.baseline`.
    incumbent: s.gate.incumbent ?? s.gate.baseline ?? null,
    policies,
    features,
    featureGrid,
    featureTables,
    multiFeature: features.length > 1,
    tiers,
    batchKnown,
    batchShare,
    nonInferiorityRows: s.routers.filter((r) => r.nonInferiority),
  };
}

/** The features any policy reports, in the order the summary lists them (sorted, unlabelled last). */
function featureColumns(routers: readonly RouterSummary[]): FeatureColumn[] {
  const seen = new Map<string, FeatureColumn>();
  for (const r of routers) {
    for (const f of r.features ?? []) {
      const k = f.feature ?? "\u0000none";
      if (!seen.has(k)) seen.set(k, { feature: f.feature, label: featureLabel(f.feature), items: f.items });
    }
  }
  return [...seen.values()];
}

/** Token volume, cache hits and batch share per model tier (a model without a tier is its own tier). */
function tierRows(s: Summary): TierRow[] {
  const rows = new Map<string, TierRow & { batchSum: number }>();
  for (const m of s.models) {
    const tier = m.tier ?? m.id;
    let row = rows.get(tier);
    if (!row) {
      row = {
        tier,
        models: [],
        input: 0,
        cachedInput: 0,
        output: 0,
        reasoning: 0,
        cacheHitRate: null,
        batchShare: 0,
        batchSum: 0,
      };
      rows.set(tier, row);
    }
    row.models.push(m.id);
    row.input += m.tokens.input;
    row.cachedInput += m.tokens.cachedInput;
    row.output += m.tokens.output;
    row.reasoning += m.tokens.reasoning;
    if (m.batchShare === undefined) row.batchShare = null;
    row.batchSum += m.batchShare ?? 0;
  }
  return [...rows.values()].map(({ batchSum, ...row }) => ({
    ...row,
    // docs/metrics.md#cost: cacheRead over all input tokens (tokens.input already counts every kind).
    cacheHitRate: row.input > 0 ? row.cachedInput / row.input : null,
    batchShare: row.batchShare === null ? null : batchSum / row.models.length,
  }));
}
