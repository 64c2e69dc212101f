import type { RouterSummary, Summary } from "../contracts/summary.ts";

/**
 * The policy the report measures deltas against: always-strong for a two-tier eval (what a team
 * runs before it routes), else the dearest single model (the "flagship for everything" default).
 * One place decides it, so report.md, report.html and the chart never disagree.
 */
export function referencePolicy(summary: Pick<Summary, "twoTier" | "routers">): RouterSummary | null {
  if (summary.twoTier) {
    const strong = summary.routers.find((r) => r.id === `always:${summary.twoTier!.strong}`);
    if (strong) return strong;
  }
  let best: RouterSummary | null = null;
  for (const r of summary.routers) {
    // Strictly dearer only: among equal costs the first policy in run order stays the reference.
    if (r.id.startsWith("always:") && (best === null || r.costPer1k > best.costPer1k)) best = r;
  }
  return best;
}
