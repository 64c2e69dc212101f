import { ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { isRecord } from "./retry-after.ts";

// One mapping from HTTP outcomes to ProviderError for every hosted adapter, so retryability and
// billing mean the same thing whichever SDK raised the error (docs/metrics.md#cost: 429 and 5xx
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

// Codes Node's fetch (undici) and its sockets give a connection that broke before the whole reply
// arrived: reset, refused, closed mid-body, or a body cut short of its content-length.
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/**
 * True when `err` (or one of its causes) says the connection broke while the reply was on its way:
 * undici's `TypeError: terminated` when a body ends before its content-length, a reset socket.
 * Such a failure is retryable like any connection error: nothing readable arrived, so nothing
 * was delivered, even if the provider may have generated the answer.
 */
export function isConnectionCut(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    if (e instanceof TypeError && e.message === "terminated") return true;
  }
  return false;
}

/**
 * The reply's status and headers arrived, then the connection broke before its body was complete.
 * Retryable (nothing usable was delivered), but counted as billed: the provider had already
 * started answering, so the budget charges the attempt at its worst case, as for a timeout.
 */
export function replyCutError(provider: string, cause: unknown): ProviderError {
  const detail = cause instanceof Error ? describeCause(cause) : String(cause);
  return new ProviderError(
    `${provider}: connection lost while reading the reply (${detail}); the provider may still have billed the call`,
    ProviderErrorCode.Connection,
    true,
    undefined,
    undefined,
    true,
  );
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
