// How long a provider asks us to wait before retrying. routegate's retry loop (collect/retry.ts)
// honours `ProviderError.retryAfterMs`; the adapters only read it off the reply.

/** Reads a header by (case-insensitive) name; Headers objects and plain records both fit. */
export type HeaderLookup = (name: string) => string | null | undefined;

export function headerLookup(headers: Headers | Record<string, string> | undefined | null): HeaderLookup {
  if (!headers) return () => undefined;
  if (typeof (headers as Headers).get === "function") return (name) => (headers as Headers).get(name);
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower.get(name.toLowerCase());
}

/**
 * `retry-after-ms` (milliseconds, OpenAI and Anthropic) wins over `retry-after` (seconds, or an
 * HTTP date). Returns undefined when neither is present or parseable.
 */
export function parseRetryAfter(get: HeaderLookup, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = get("retry-after")?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Google APIs put the wait in the error body instead of a header:
 * `error.details[] {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}`.
 */
export function parseGoogleRetryDelay(errorBody: unknown): number | undefined {
  if (!isRecord(errorBody) || !isRecord(errorBody.error)) return undefined;
  const details = errorBody.error.details;
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (!isRecord(d) || typeof d.retryDelay !== "string") continue;
    const m = /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay.trim());
    if (m) return Math.round(Number(m[1]) * 1000);
  }
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
