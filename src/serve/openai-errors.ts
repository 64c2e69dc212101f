import type { ServerResponse } from "node:http";
import { ProviderError } from "../providers/provider-error.ts";
import { AllModelsFailed } from "../runtime/answer.ts";

// Every error the gateway answers is in OpenAI's error format, so any OpenAI client raises its
// usual exception (BadRequestError, NotFoundError, RateLimitError, ...) with a readable message.

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    /** Extra response headers (a 429's Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new GatewayError(400, message, "invalid_request_error", code, param);

export function errorBody(err: GatewayError): string {
  return JSON.stringify({ error: { message: err.message, type: err.type, param: err.param, code: err.code } });
}

/** Writes `err` unless headers already went out (a stream then ends with an error event instead). */
export function sendError(res: ServerResponse, err: GatewayError, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = errorBody(err);
  res.writeHead(err.status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
    ...err.headers,
  });
  res.end(body);
}

/** Why a request's own signal fired: the client went away, or the gateway's deadline passed. */
export type AbortCause = "client" | "deadline" | undefined;

/**
 * The gateway's answer to a failed request. Upstream failures keep their meaning for the client:
 * every model failing is a 502, the deadline a 504, an upstream refusing the request (bad request,
 * auth) a 502 too (the client cannot fix the gateway's credentials) with the upstream's reason.
 */
export function toGatewayError(err: unknown, aborted: AbortCause): GatewayError {
  if (err instanceof GatewayError) return err;
  if (aborted === "deadline")
    return new GatewayError(504, "the request's deadline passed before an answer arrived", "timeout_error", "timeout");
  if (err instanceof AllModelsFailed)
    return new GatewayError(502, `every upstream failed: ${err.message}`, "upstream_error", "upstream_failed");
  if (err instanceof ProviderError) {
    if (err.code === "bad_request" && err.status === 400)
      return new GatewayError(
        400,
        `the upstream refused the request: ${err.message}`,
        "invalid_request_error",
        err.code,
      );
    return new GatewayError(502, `the upstream failed: ${err.message}`, "upstream_error", err.code);
  }
  return new GatewayError(500, "the gateway failed to answer (see its log)", "server_error", "internal_error");
}
