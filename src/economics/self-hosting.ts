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

export interface Deployment {
  /** USD per hour of one deployment (all its GPUs). */
  hourUsd: number;
  outputTokensPerSec: number;
  inputTokensPerSec?: number;
  utilisation: number;
}

export function deployment(spec: SelfHosting, outputTokensPerSec: number): Deployment {
  return {
    hourUsd: spec.gpuHourUsd * spec.gpus,
    outputTokensPerSec,
    ...(spec.inputTokensPerSec ? { inputTokensPerSec: spec.inputTokensPerSec } : {}),
    utilisation: spec.utilisation,
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
  return d.hourUsd * Math.max(HOURS_PER_MONTH, busyHours / utilisation);
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
  /** Requests per month from which self-hosting is cheaper at the configured utilisation; null: never. */
  breakEvenRequestsPerMonth: number | null;
}

export function selfHostEconomics(
  requestsPerMonth: number,
  tokens: RequestTokens,
  apiPerRequestUsd: number,
  d: Deployment,
): SelfHostEconomics {
  const busy = (requestsPerMonth * busySeconds(tokens, d)) / 3600;
  const api = requestsPerMonth * apiPerRequestUsd;
  const gpuPerRequest = (busySeconds(tokens, d) / (3600 * d.utilisation)) * d.hourUsd;
  return {
    apiMonthlyUsd: api,
    gpuMonthlyUsd: gpuMonthlyUsd(busy, d),
    busyHours: busy,
    fleetUtilisation: busy / HOURS_PER_MONTH,
    breakEvenUtilisation: api > 0 ? (busy * d.hourUsd) / api : null,
    // Past the always-on floor both bills grow linearly; the GPU one slower when gpuPerRequest < api's,
    // so they cross where the floor (one deployment all month) equals the API bill.
    breakEvenRequestsPerMonth:
      gpuPerRequest < apiPerRequestUsd ? (HOURS_PER_MONTH * d.hourUsd) / apiPerRequestUsd : null,
  };
}

export interface SensitivityCell {
  volumeMultiplier: number;
  utilisation: number;
  requestsPerMonth: number;
  gpuMonthlyUsd: number;
  apiMonthlyUsd: number;
  /** 1 - gpu / api: positive when self-hosting saves. */
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
      const gpu = gpuMonthlyUsd((requests * busySeconds(tokens, d)) / 3600, d, u);
      const api = requests * apiPerRequestUsd;
      return {
        volumeMultiplier: v,
        utilisation: u,
        requestsPerMonth: requests,
        gpuMonthlyUsd: gpu,
        apiMonthlyUsd: api,
        saving: api > 0 ? 1 - gpu / api : null,
      };
    }),
  );
}
