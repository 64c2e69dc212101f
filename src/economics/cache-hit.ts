import type { Arrival } from "./traffic-profile.ts";

/** Hours in an average month (365 x 24 / 12): the unit every monthly figure uses. */
export const HOURS_PER_MONTH = 730;

/** One arrival regime: requests per second, and the share of the feature's requests it carries. */
export interface ArrivalRegime {
  ratePerSec: number;
  requestShare: number;
}

/**
 * The arrival regimes of a feature. A peak/off-peak profile is two regimes weighted by the
 * requests each carries; a mean inter-arrival time or no pattern at all (the monthly volume spread
 * evenly over HOURS_PER_MONTH) is one.
 */
export function arrivalRegimes(arrival: Arrival | undefined, requestsPerMonth: number): ArrivalRegime[] {
  if (!arrival) return [{ ratePerSec: requestsPerMonth / (HOURS_PER_MONTH * 3600), requestShare: 1 }];
  if ("meanInterArrivalSeconds" in arrival)
    return [{ ratePerSec: 1 / arrival.meanInterArrivalSeconds, requestShare: 1 }];
  const peak = arrival.peakPerHour * arrival.peakHoursPerDay;
  const off = arrival.offPeakPerHour * (24 - arrival.peakHoursPerDay);
  const total = peak + off;
  if (total === 0) return [{ ratePerSec: 0, requestShare: 1 }];
  return [
    { ratePerSec: arrival.peakPerHour / 3600, requestShare: peak / total },
    { ratePerSec: arrival.offPeakPerHour / 3600, requestShare: off / total },
  ];
}

/**
 * Probability that a request finds its prefix still cached. With Poisson arrivals at rate lambda
 * (per second), the prefix survives when the previous request to the same model came within the
 * TTL: P(hit) = P(gap < TTL) = 1 - exp(-lambda x TTL). Routing thins the stream each model sees,
 * so `modelShare` (the share of the feature's requests sent to this model) scales lambda: a router
 * that splits traffic also lowers each model's hit rate. Regimes average by their request share.
 */
export function cacheHitProbability(regimes: readonly ArrivalRegime[], ttlSeconds: number, modelShare = 1): number {
  let hit = 0;
  for (const r of regimes) hit += r.requestShare * (1 - Math.exp(-r.ratePerSec * modelShare * ttlSeconds));
  return hit;
}
