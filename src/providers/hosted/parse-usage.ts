import type { z } from "zod";
import { formatPath } from "../../core/errors.ts";
import { ProviderError, ProviderErrorCode } from "../provider-error.ts";

/** A usage field that may be missing or null in a provider's reply; absent counts as 0. */
export function count(n: number | null | undefined): number {
  return n ?? 0;
}

/**
 * Validates a provider's raw usage object. A malformed one is a bad response (the call itself
 * succeeded and was billed, so it is not retried blindly).
 */
export function parseRawUsage<S extends z.ZodType>(schema: S, raw: unknown, provider: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProviderError(
      `${provider} usage: ${formatPath(issue.path)}: ${issue.message}`,
      ProviderErrorCode.BadResponse,
      false,
      undefined,
      undefined,
      true,
    );
  }
  return parsed.data;
}

/** Rejects usage whose parts exceed the total it claims (e.g. cached > prompt tokens). */
export function checkParts(provider: string, what: string, total: number, parts: number): void {
  if (parts > total) {
    throw new ProviderError(
      `${provider} usage: ${what} (${parts}) exceed the total (${total})`,
      ProviderErrorCode.BadResponse,
      false,
      undefined,
      undefined,
      true,
    );
  }
}
