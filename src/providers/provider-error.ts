export const ProviderErrorCode = {
  RateLimited: "rate_limited",
  /** 5xx, Anthropic's 529 (overloaded), and the transient 408/409. */
  Server: "server_error",
  /**
   * The per-request deadline passed before the reply arrived. Whether the provider billed the call
   * is unknown (it may have finished generating), so `billed` is false but means "unknown" here:
   * the budget must count a timeout at its worst case (docs/metrics.md#cost); the report flags it.
   */
  Timeout: "timeout",
  /** The connection failed or was reset before a reply arrived (retryable; not billed as far as we can tell). */
  Connection: "connection_error",
  /** A 2xx reply whose body is not what the provider documents (not retried: the call was likely billed). */
  BadResponse: "bad_response",
  BadRequest: "bad_request",
  Auth: "auth",
  MissingOutcome: "missing_outcome",
  /** A recorded outcome (replay) holds an error: replaying it again cannot succeed. */
  RecordedError: "recorded_error",
  /** A batch request the provider never ran: the batch expired first (retried by a later run). */
  BatchExpired: "batch_expired",
  /** A batch request the provider never ran: the batch was cancelled (retried by a later run). */
  BatchCanceled: "batch_canceled",
} as const;
export type ProviderErrorCode = (typeof ProviderErrorCode)[keyof typeof ProviderErrorCode];

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  /** True when a configured secret was found in the message and replaced (providers/scrub). */
  redacted = false;
  constructor(
    message: string,
    readonly code: ProviderErrorCode,
    readonly isRetryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** False when the provider does not bill the failed call (429, 5xx): docs/metrics.md#cost. */
    readonly billed = false,
  ) {
    super(message);
  }
}

/** A replay model has no outcome for this request: an offline run cannot go on (exit 3). */
export class MissingOutcomeError extends ProviderError {
  constructor(
    readonly modelId: string,
    readonly itemId: string,
  ) {
    super(`no recorded outcome for item "${itemId}" of model "${modelId}"`, ProviderErrorCode.MissingOutcome, false);
  }
}

/**
 * The request asks for something this provider cannot do (a JSON mode Anthropic lacks, a tool
 * choice a server refuses). Refused before anything is sent: never retried, never billed, and the
 * gateway answers it as a 400 naming the parameter.
 */
export class UnsupportedRequestError extends ProviderError {
  constructor(
    provider: string,
    /** The OpenAI request parameter at fault, e.g. "response_format". */
    readonly param: string,
    what: string,
  ) {
    super(`${provider} does not support ${what}`, ProviderErrorCode.BadRequest, false, 400);
  }
}
