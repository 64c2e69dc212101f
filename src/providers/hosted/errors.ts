import { ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { isRecord } from "./retry-after.ts";

// One mapping from HTTP outcomes to ProviderError for every hosted adapter, so retryability and
// billing mean the same thing whichever SDK raised the error (METRICS.md section 2: 429 and 5xx
// are not billed; a timeout's billing is unknown).

/**
 * An HTTP error status -> ProviderError. Retryable: 408, 409, 429, 5xx (529 included). Not
 * retryable: every other 4xx (a bad request or a missing key does not get better by waiting).
 * None is billed: the provider rejected the request before generating.
 */
export function errorFromStatus(
  provider: string,
  status: number,
  message: string,
  retryAfterMs?: number,
): ProviderError {
  const text = `${provider} ${status}: ${message}`;
  if (status === 429) return new ProviderError(text, ProviderErrorCode.RateLimited, true, status, retryAfterMs, false);
  if (status === 408 || status === 409 || status >= 500) {
    return new ProviderError(text, ProviderErrorCode.Server, true, status, retryAfterMs, false);
  }
  if (status === 401 || status === 403) {
    return new ProviderError(text, ProviderErrorCode.Auth, false, status, undefined, false);
  }
  return new ProviderError(text, ProviderErrorCode.BadRequest, false, status, undefined, false);
}

/** The client's deadline passed: retryable; billing unknown (see ProviderErrorCode.Timeout). */
export function timeoutError(provider: string, timeoutMs: number): ProviderError {
  return new ProviderError(
    `${provider}: no reply within ${timeoutMs} ms (the provider may still have billed the call)`,
    ProviderErrorCode.Timeout,
    true,
  );
}

export function connectionError(provider: string, cause: unknown): ProviderError {
  const detail = cause instanceof Error ? describeCause(cause) : String(cause);
  return new ProviderError(`${provider}: connection failed (${detail})`, ProviderErrorCode.Connection, true);
}

/**
 * A 2xx reply routegate cannot read. Not retried: the provider most likely generated (and billed)
 * the answer, and repeating the call would pay twice for what is probably a proxy's or server's bug.
 */
export function badResponse(provider: string, problem: string): ProviderError {
  return new ProviderError(
    `${provider}: malformed response (${problem})`,
    ProviderErrorCode.BadResponse,
    false,
    undefined,
    undefined,
    true,
  );
}

// Error types in a provider's error object -> the HTTP status they stand for.
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  rate_limit_error: 429,
  api_error: 500,
  server_error: 500,
  overloaded_error: 529,
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/**
 * Some servers and proxies answer 200 with an error object instead of a result
 * (`{"error": {...}}`; Anthropic `{"type": "error", "error": {...}}`). Returns the ProviderError
 * it stands for, or undefined when `body` is not an error object.
 */
export function errorObjectInBody(provider: string, body: unknown): ProviderError | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const e = body.error;
  const message = typeof e.message === "string" ? e.message : JSON.stringify(e);
  const status =
    typeof e.code === "number"
      ? e.code
      : (STATUS_OF_TYPE[typeof e.type === "string" ? e.type : ""] ??
        STATUS_OF_TYPE[typeof e.status === "string" ? e.status : ""]);
  if (status !== undefined && status >= 400)
    return errorFromStatus(provider, status, `error object in the reply: ${message}`);
  return new ProviderError(`${provider}: error object in the reply: ${message}`, ProviderErrorCode.BadResponse, false);
}

/** The message of an API error body in any of the three shapes, or undefined. */
export function errorBodyMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  if (typeof body.message === "string") return body.message;
  if (isRecord(body.error) && typeof body.error.message === "string") return body.error.message;
  return undefined;
}

function describeCause(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  const code = isRecord(cause) && typeof cause.code === "string" ? cause.code : undefined;
  return code ? `${err.message}: ${code}` : err.message;
}
