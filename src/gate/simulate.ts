import { createRng, Z95 } from "../stats/index.ts";
import { binaryNonInferior } from "./non-inferiority.ts";

/**
 * The gate's own calibration, by simulation (docs/metrics.md#the-gate). A golden set of n items is
 * drawn with replacement from a population where the incumbent and the candidate disagree on a share
 * `discordance` of items; the candidate is either truly `maxDrop` worse (it loses maxDrop more
 * items than it wins) or truly equal (it loses as many as it wins: equal, not identical).
 */
export interface GateSimulationInput {
  /** Incumbent quality (share of items right). */
  incumbentQuality: number;
  /** Share of items on which the two policies disagree (b + c), e.g. measured between two tiers. */
  discordance: number;
  maxDrop: number;
  items: number;
  simulations?: number;
  seed?: string;
}

export interface GateSimulationResult {
  items: number;
  simulations: number;
  /** Share of truly-maxDrop-worse candidates that pass (should be <= alpha/2 = 0.025). */
  falsePassRate: number;
  /** Monte Carlo standard error of falsePassRate. */
  falsePassSe: number;
  /** Share of truly-equal candidates that are blocked. */
  falseBlockRate: number;
}

export function simulateGate(input: GateSimulationInput): GateSimulationResult {
  const { incumbentQuality: q, discordance: r, maxDrop, items: n } = input;
  const sims = input.simulations ?? 2000;
  if (r < maxDrop)
    throw new RangeError("simulateGate: discordance must be at least maxDrop (a drop needs disagreeing items)");
  // Cell probabilities (a: both right, b: incumbent only, c: candidate only, d: both wrong).
  const worse = cells(q, (r + maxDrop) / 2, (r - maxDrop) / 2);
  const equal = cells(q, r / 2, r / 2);
  const rng = createRng(input.seed ?? "routegate-gate-sim");
  let falsePass = 0;
  let falseBlock = 0;
  for (let s = 0; s < sims; s++) {
    if (passes(draw(worse, n, rng), maxDrop)) falsePass++;
    if (!passes(draw(equal, n, rng), maxDrop)) falseBlock++;
  }
  const rate = falsePass / sims;
  return {
    items: n,
    simulations: sims,
    falsePassRate: rate,
    falsePassSe: Math.sqrt((rate * (1 - rate)) / sims),
    falseBlockRate: falseBlock / sims,
  };
}

/**
 * Smallest golden-set size (on a doubling-then-bisection search) at which truly-equal candidates
 * are blocked at most 20% of the time: the size a team needs for 80% power at this drop.
 */
export function itemsFor80Power(input: Omit<GateSimulationInput, "items">, maxItems = 64_000): number | null {
  const blocked = (items: number) => simulateGate({ ...input, items }).falseBlockRate;
  let lo = 10;
  let hi = 20;
  while (blocked(hi) > 0.2) {
    lo = hi;
    hi *= 2;
    if (hi > maxItems) return null;
  }
  while (hi - lo > Math.max(5, lo * 0.02)) {
    const mid = Math.floor((lo + hi) / 2);
    if (blocked(mid) > 0.2) lo = mid;
    else hi = mid;
  }
  return hi;
}

function cells(q: number, b: number, c: number): [number, number, number, number] {
  const a = q - b;
  const d = 1 - q - c;
  if (a < 0 || d < 0) throw new RangeError("simulateGate: discordance too large for this incumbent quality");
  return [a, b, c, d];
}

function draw(p: [number, number, number, number], n: number, rng: () => number) {
  const t1 = p[0];
  const t2 = t1 + p[1];
  const t3 = t2 + p[2];
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const u = rng();
    if (u < t1) a++;
    else if (u < t2) b++;
    else if (u < t3) c++;
    else d++;
  }
  return { a, b, c, d };
}

function passes(table: { a: number; b: number; c: number; d: number }, maxDrop: number): boolean {
  return binaryNonInferior(table, maxDrop, Z95);
}
