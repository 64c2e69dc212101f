import type { RouterSummary, Summary } from "../contracts/summary.ts";

/** One policy seen in either run; figures of B minus A where both have it. */
export interface PolicyDiff {
  id: string;
  a: RouterSummary | null;
  b: RouterSummary | null;
  quality: number | null;
  costPer1k: number | null;
  /** Relative cost change B / A - 1 (null when A costs nothing). */
  costRel: number | null;
  /** Strong share B - A, for two-tier evals. */
  strongShare: number | null;
  paramsChanged: boolean;
}

export interface FeatureDiff {
  feature: string | null;
  /** Per policy in `policies` order: quality B - A on this feature (null where either lacks it). */
  quality: Array<number | null>;
}

export interface RunDiff {
  a: Pick<Summary, "eval" | "runId" | "createdAt" | "dataset">;
  b: Pick<Summary, "eval" | "runId" | "createdAt" | "dataset">;
  policies: PolicyDiff[];
  policiesAdded: string[];
  policiesRemoved: string[];
  modelsAdded: string[];
  modelsRemoved: string[];
  features: FeatureDiff[];
  /** Either run used the sim provider: the diff must say SIMULATED at its top, like every report. */
  simulated: boolean;
  /** Differences that change what the deltas mean (eval, scorer, prices, split). */
  notes: string[];
}

/**
 * Why two runs cannot be compared item for item, or null when they can: quality and cost are
 * means over items, so a different golden set makes every delta meaningless.
 */
export function datasetMismatch(a: Summary, b: Summary): string | null {
  if (a.dataset.hash === b.dataset.hash) return null;
  return `the runs scored different golden sets: A ${describe(a)}, B ${describe(b)}; their quality and cost deltas would compare different items`;
}

const describe = (s: Summary) =>
  `"${s.dataset.name}" (${s.dataset.items} items, sha256 ${s.dataset.hash.slice(0, 12)})`;

/** Pure: the diff of two run summaries, B against A. */
export function compareRuns(a: Summary, b: Summary): RunDiff {
  const inA = new Map(a.routers.map((r) => [r.id, r]));
  const inB = new Map(b.routers.map((r) => [r.id, r]));
  // B's order first (the newer run is what a reviewer reads), then what B dropped.
  const ids = [...b.routers.map((r) => r.id), ...a.routers.filter((r) => !inB.has(r.id)).map((r) => r.id)];
  const policies = ids.map((id) => policyDiff(id, inA.get(id) ?? null, inB.get(id) ?? null));

  const modelsA = new Set(a.models.map((m) => m.id));
  const modelsB = new Set(b.models.map((m) => m.id));
  return {
    a: pick(a),
    b: pick(b),
    policies,
    policiesAdded: ids.filter((id) => !inA.has(id)),
    policiesRemoved: ids.filter((id) => !inB.has(id)),
    modelsAdded: [...modelsB].filter((id) => !modelsA.has(id)),
    modelsRemoved: [...modelsA].filter((id) => !modelsB.has(id)),
    features: featureDiffs(policies),
    simulated: a.simulated || b.simulated,
    notes: notesOn(a, b),
  };
}

function pick(s: Summary): RunDiff["a"] {
  return { eval: s.eval, runId: s.runId, createdAt: s.createdAt, dataset: s.dataset };
}

function policyDiff(id: string, a: RouterSummary | null, b: RouterSummary | null): PolicyDiff {
  const both = a !== null && b !== null;
  return {
    id,
    a,
    b,
    quality: both ? b.quality.mean - a.quality.mean : null,
    costPer1k: both ? b.costPer1k - a.costPer1k : null,
    costRel: both && a.costPer1k > 0 ? b.costPer1k / a.costPer1k - 1 : null,
    strongShare: both && a.strongShare !== null && b.strongShare !== null ? b.strongShare - a.strongShare : null,
    paramsChanged: both && stableJson(a.params) !== stableJson(b.params),
  };
}

function stableJson(v: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(v)
      .sort()
      .map((k) => [k, v[k]]),
  );
}

/** Features both runs report for at least one common policy; [] when neither splits by feature. */
function featureDiffs(policies: readonly PolicyDiff[]): FeatureDiff[] {
  const key = (f: string | null) => f ?? "\u0000none";
  const names = new Map<string, string | null>();
  for (const p of policies) for (const f of p.b?.features ?? []) names.set(key(f.feature), f.feature);
  const diffs = [...names.values()].map((feature) => ({
    feature,
    quality: policies.map((p) => {
      const fa = p.a?.features?.find((f) => key(f.feature) === key(feature));
      const fb = p.b?.features?.find((f) => key(f.feature) === key(feature));
      return fa && fb ? fb.quality.mean - fa.quality.mean : null;
    }),
  }));
  return diffs.filter((d) => d.quality.some((q) => q !== null));
}

function notesOn(a: Summary, b: Summary): string[] {
  const notes: string[] = [];
  if (a.eval !== b.eval) notes.push(`Different evals: A is "${a.eval}", B is "${b.eval}".`);
  if (a.scorer !== b.scorer)
    notes.push(`Different scorers (A "${a.scorer}", B "${b.scorer}"): quality deltas mix a scoring change in.`);
  if (a.priceTable.version !== b.priceTable.version)
    notes.push(
      `Different price tables (A ${a.priceTable.version}, B ${b.priceTable.version}): cost deltas include price changes.`,
    );
  const overrides = (s: Summary) =>
    (s.priceTable.overrides ?? [])
      .map(
        (o) => `${o.model}=${[o.input, o.output, ...(o.cachedInput !== undefined ? [o.cachedInput] : [])].join(",")}`,
      )
      .sort()
      .join(" ");
  if (overrides(a) !== overrides(b))
    notes.push(
      `Different --price overrides (A ${overrides(a) || "none"}, B ${overrides(b) || "none"}): cost deltas include price changes.`,
    );
  const split = (s: Summary) => `${s.split.seed}/${s.split.heldOutFraction}/${s.split.heldOut}`;
  if (split(a) !== split(b))
    notes.push(
      `Different splits (A ${a.split.heldOut} held-out items, B ${b.split.heldOut}; seeds "${a.split.seed}" and "${b.split.seed}"): the policies were reported on different items.`,
    );
  return notes;
}
