import type { SecretScrubber } from "./secret-scrubber.ts";

/** Whether any string in a JSON-like value (keys included) holds a secret. */
export function jsonHoldsSecret(value: unknown, scrubber: SecretScrubber): boolean {
  if (typeof value === "string") return scrubber.finds(value);
  if (Array.isArray(value)) return value.some((v) => jsonHoldsSecret(v, scrubber));
  if (value !== null && typeof value === "object")
    return Object.entries(value).some(([k, v]) => scrubber.finds(k) || jsonHoldsSecret(v, scrubber));
  return false;
}

/**
 * A JSON-like value (a provider's raw usage object) with every secret replaced in its strings and
 * keys. Walked rather than scrubbed as JSON text, where an escaped character could hide a secret.
 */
export function scrubJson(value: unknown, scrubber: SecretScrubber): unknown {
  if (typeof value === "string") return scrubber.scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, scrubber));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubber.scrub(k), scrubJson(v, scrubber)]));
  return value;
}
