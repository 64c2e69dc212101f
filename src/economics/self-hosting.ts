import { HOURS_PER_MONTH } from "./cache-hit.ts";
import type { SelfHosting } from "./traffic-profile.ts";

// Self-hosting economics. A deployment costs gpuHourUsd x gpus per hour whether busy or not. One
// request keeps it busy output / outputTokensPerSec seconds, plus input / inputTokensPerSec when a
// prefill rate is given (without one, the output figure is taken to include prefill, as a
// benchmark's does for its own prompt/output mix: input-heavy work then looks cheaper than it is).
// The traffic needs busyHours = requests x busy seconds / 3600 of serving a month; at utilisation
// u (share of paid time spent serving) that is busyHours / u paid hours. At least one deployment
// runs all month (HOURS_PER_MONTH paid hours), which is why small volumes never pay off:
//   monthly GPU cost = gpuHourUsd x gpus x max(HOURS_PER_MONTH, busyHours / u)
// With a reserved price, R reserved deployments are paid all month at the reserved rate and only
// the paid hours beyond them at the on-demand rate:
//   monthly GPU cost = R x HOURS_PER_MONTH x reservedHour + max(0, busyHours / u - R x HOURS_PER_MONTH) x onDemandHour
// And the people who run it: opsCostPerMonthUsd is added whenever anything is self-hosted. That
// fixed cost is what usually eats a cheaper GPU bill, so every figure is given with and without it.

export interface Deployment {
  /** USD per hour of one deployment (all its GPUs). */
  hourUsd: number;
  outputTokensPerSec: number;
  inputTokensPerSec?: number;
  utilisation: number;
  /** Reserved deployments paid all month at `hourUsd` (all GPUs); beyond them, the on-demand hourUsd. */
  reserved?: { hourUsd: number; deployments: number };
  /** People's cost of running it per month (on-call, upgrades, engineer time). */
  opsMonthlyUsd: number;
}

export function deployment(spec: SelfHosting, outputTokensPerSec: number): Deployment {
  return {
    hourUsd: spec.gpuHourUsd * spec.gpus,
    outputTokensPerSec,
    ...(spec.inputTokensPerSec ? { inputTokensPerSec: spec.inputTokensPerSec } : {}),
    utilisation: spec.utilisation,
    ...(spec.reserved
      ? { reserved: { hourUsd: spec.reserved.gpuHourUsd * spec.gpus, deployments: spec.reserved.deployments } }
      : {}),
    opsMonthlyUsd: spec.opsCostPerMonthUsd,
  };
}

/** Tokens of one request (mean input and output). */
export interface RequestTokens {
  input: number;
  output: number;
}

/** Seconds of deployment time one request takes. */
export function busySeconds(t: RequestTokens, d: Deployment): number {
  return t.output / d.outputTokensPerSec + (d.inputTokensPerSec ? t.input / d.inputTokensPerSec : 0);
}

/** Monthly GPU bill for `busyHours` of serving; 0 when nothing is served (no deployment needed). */
export function gpuMonthlyUsd(busyHours: number, d: Deployment, utilisation = d.utilisation): number {
  if (busyHours <= 0) return 0;
  const paid = busyHours / utilisation;
  if (!d.reserved) return d.hourUsd * Math.max(HOURS_PER_MONTH, paid);
  const reservedHours = d.reserved.deployments * HOURS_PER_MONTH;
  return reservedHours * d.reserved.hourUsd + Math.max(0, paid - reservedHours) * d.hourUsd;
}

/** Monthly bill of self-hosting `busyHours` of serving: GPUs plus the operations cost (0 when nothing runs). */
export function selfHostMonthlyUsd(busyHours: number, d: Deployment, utilisation = d.utilisation): number {
  return busyHours > 0 ? gpuMonthlyUsd(busyHours, d, utilisation) + d.opsMonthlyUsd : 0;
}

/**
 * Requests per month from which self-hosting costs less than the API, with `opsMonthlyUsd` added
 * to the GPU bill; null: never. The bill is a fixed part F (the always-on or reserved deployments,
 * serving up to V_b requests) and, past V_b, a marginal m per request; the API costs a per request:
 *   V <= V_b: a V = F + ops            -> V = (F + ops) / a, if that is <= V_b
 *   V >  V_b: a V = F + ops + m (V - V_b) -> V = (F + ops - m V_b) / (a - m), if a > m
 */
export function breakEvenRequests(
  seconds: number,
  apiPerRequestUsd: number,
  d: Deployment,
  opsMonthlyUsd: number,
): number | null {
  if (!(apiPerRequestUsd > 0) || !(seconds > 0)) return null;
  const fixedHours = (d.reserved?.deployments ?? 1) * HOURS_PER_MONTH;
  const fixed = fixedHours * (d.reserved?.hourUsd ?? d.hourUsd);
  const capacity = (fixedHours * 3600 * d.utilisation) / seconds;
  const marginal = (seconds / (3600 * d.utilisation)) * d.hourUsd;
  const first = (fixed + opsMonthlyUsd) / apiPerRequestUsd;
  if (first <= capacity) return first;
  return apiPerRequestUsd > marginal
    ? (fixed + opsMonthlyUsd - marginal * capacity) / (apiPerRequestUsd - marginal)
    : null;
}

export interface SelfHostEconomics {
  /** API cost of the same traffic per month (the replaced model with caching and batch). */
  apiMonthlyUsd: number;
  gpuMonthlyUsd: number;
  busyHours: number;
  /** Utilisation one always-on deployment would run at: busyHours / HOURS_PER_MONTH. */
  fleetUtilisation: number;
  /**
   * Utilisation at which the GPU cost per token equals the API's: busyHours x hourUsd / apiMonthly.
   * Above 1 it never pays, however busy the GPUs are.
   */
  breakEvenUtilisation: number | null;
  /** Requests per month from which self-hosting (GPUs + operations) is cheaper at the configured utilisation; null: never. */
  breakEvenRequestsPerMonth: number | null;
  /** The operations cost per month counted in the figures above. */
  opsMonthlyUsd: number;
  /** The same figures without the operations cost (GPUs alone), for the with/without verdict. */
  withoutOps: { breakEvenUtilisation: number | null; breakEvenRequestsPerMonth: number | null };
  /** Which side is cheaper at this volume, with and without the operations cost. */
  cheaper: { withOps: "self-hosting" | "api"; withoutOps: "self-hosting" | "api" };
}

export function selfHostEconomics(
  requestsPerMonth: number,
  tokens: RequestTokens,
  apiPerRequestUsd: number,
  d: Deployment,
): SelfHostEconomics {
  const seconds = busySeconds(tokens, d);
  const busy = (requestsPerMonth * seconds) / 3600;
  const api = requestsPerMonth * apiPerRequestUsd;
  const gpu = gpuMonthlyUsd(busy, d);
  const ops = d.opsMonthlyUsd;
  // Utilisation u at which GPUs (+ ops) cost what the API does: busy x hourUsd / u + ops = api.
  // null when the API bill is no more than the operations cost alone: no utilisation pays then.
  const utilisationAt = (o: number) => (api > o ? (busy * d.hourUsd) / (api - o) : null);
  return {
    apiMonthlyUsd: api,
    gpuMonthlyUsd: gpu,
    busyHours: busy,
    fleetUtilisation: busy / HOURS_PER_MONTH,
    breakEvenUtilisation: utilisationAt(ops),
    breakEvenRequestsPerMonth: breakEvenRequests(seconds, apiPerRequestUsd, d, ops),
    opsMonthlyUsd: ops,
    withoutOps: {
      breakEvenUtilisation: utilisationAt(0),
      breakEvenRequestsPerMonth: breakEvenRequests(seconds, apiPerRequestUsd, d, 0),
    },
    cheaper: {
      withOps: gpu + ops < api ? "self-hosting" : "api",
      withoutOps: gpu < api ? "self-hosting" : "api",
    },
  };
}

export interface SensitivityCell {
  volumeMultiplier: number;
  utilisation: number;
  requestsPerMonth: number;
  gpuMonthlyUsd: number;
  apiMonthlyUsd: number;
  /** 1 - (gpu + ops) / api: positive when self-hosting saves. */
  saving: number | null;
}

// Volumes span three orders of magnitude: self-hosting's answer usually flips far from today's volume.
export const SENSITIVITY_VOLUMES = [0.25, 1, 10, 100, 1000] as const;
export const SENSITIVITY_UTILISATIONS = [0.25, 0.5, 0.75, 1] as const;

/** Volume x utilisation grid of the self-hosted bill against the API's. */
export function sensitivity(
  requestsPerMonth: number,
  tokens: RequestTokens,
  apiPerRequestUsd: number,
  d: Deployment,
): SensitivityCell[][] {
  return SENSITIVITY_VOLUMES.map((v) =>
    SENSITIVITY_UTILISATIONS.map((u) => {
      const requests = requestsPerMonth * v;
      const busy = (requests * busySeconds(tokens, d)) / 3600;
      const gpu = gpuMonthlyUsd(busy, d, u);
      const self = selfHostMonthlyUsd(busy, d, u);
      const api = requests * apiPerRequestUsd;
      return {
        volumeMultiplier: v,
        utilisation: u,
        requestsPerMonth: requests,
        gpuMonthlyUsd: gpu,
        apiMonthlyUsd: api,
        saving: api > 0 ? 1 - self / api : null,
      };
    }),
  );
}
