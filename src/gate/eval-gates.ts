import type { GateSpec } from "../config/define-eval.ts";
import type { GateCheck, RouterSummary } from "../contracts/summary.ts";

/**
 * The eval's declared gates (first cut: point estimates against floors and ceilings). The paired
 * non-inferiority test against the incumbent (the committed production config) builds on the same check list.
 * Pure: the verdict depends on the figures alone.
 */
export function evaluateGates(
  gates: readonly GateSpec[],
  routers: readonly RouterSummary[],
): { passed: boolean; checks: GateCheck[] } {
  const checks: GateCheck[] = [];
  for (const gate of gates) {
    const router = routers.find((r) => r.id === gate.policy);
    const scope = router?.heldOut ? "held-out" : "all items";
    if (gate.minQuality !== undefined) {
      const value = router ? router.quality.mean : null;
      checks.push({
        name: `${gate.policy}: quality >= ${gate.minQuality}`,
        passed: value !== null && value >= gate.minQuality,
        value,
        threshold: gate.minQuality,
        detail: router
          ? `measured on ${router.items} ${scope} items, 95% CI [${router.quality.ci.map((x) => x.toFixed(3)).join(", ")}]`
          : "policy missing from the run",
      });
    }
    if (gate.maxCostPer1k !== undefined) {
      const value = router ? router.costPer1k : null;
      checks.push({
        name: `${gate.policy}: cost per 1K requests <= $${gate.maxCostPer1k}`,
        passed: value !== null && value <= gate.maxCostPer1k,
        value,
        threshold: gate.maxCostPer1k,
        detail: router ? `measured on ${router.items} ${scope} items` : "policy missing from the run",
      });
    }
  }
  return { passed: checks.every((c) => c.passed), checks };
}
