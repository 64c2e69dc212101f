import type { GateCheck } from "../contracts/summary.ts";

/**
 * Whether a run's gate checks add up to a pass: every check passed, except those reported without
 * deciding (`blocking: false`, a feature too small to decide). One rule, read by `--gate-base`
 * from the base branch like the rest of the gate's code.
 */
export function gateVerdict(checks: readonly Pick<GateCheck, "passed" | "blocking">[]): boolean {
  return checks.every((c) => c.passed || c.blocking === false);
}
