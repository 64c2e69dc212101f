import { InputError } from "../core/errors.ts";

/** Limits for one provider's traffic (unset: no limit of that kind beyond the global concurrency). */
export interface ProviderLimits {
  /** Calls in flight at once to this provider (the global cap applies too). */
  concurrency?: number;
  /** Requests per minute, retries included. */
  rpm?: number;
  /** Tokens per minute, charged up front as estimated input + maxTokens, reconciled after. */
  tpm?: number;
}

/** Limits by provider id ("openai", "sim", ...); the key "*" applies to every provider without its own. */
export type LimitsByProvider = Readonly<Record<string, ProviderLimits>>;

export const ANY_PROVIDER = "*";

/** The limits in force for one provider: its own fields over those of "*". */
export function limitsFor(limits: LimitsByProvider, providerId: string): ProviderLimits {
  return { ...limits[ANY_PROVIDER], ...limits[providerId] };
}

/**
 * Parses `--rpm 500` (every provider) or `--rpm openai=500,anthropic=50` (per provider) into
 * limits of one kind, merged into `into`.
 */
export function parseLimitFlag(
  flag: string,
  value: string | number,
  kind: keyof ProviderLimits,
  into: Record<string, ProviderLimits> = {},
): Record<string, ProviderLimits> {
  const fix = `write --${flag} N (every provider) or --${flag} PROVIDER=N,PROVIDER=N with N a positive integer, e.g. --${flag} openai=500,anthropic=50`;
  for (const part of String(value).split(",")) {
    const text = part.trim();
    if (!text) continue;
    const eq = text.indexOf("=");
    const provider = eq >= 0 ? text.slice(0, eq).trim() : ANY_PROVIDER;
    const n = Number(eq >= 0 ? text.slice(eq + 1) : text);
    if (!provider || !Number.isInteger(n) || n < 1) {
      throw new InputError("command line", `--${flag}`, `"${text}" is not a limit`, fix);
    }
    into[provider] = { ...into[provider], [kind]: n };
  }
  return into;
}
