import type { RecordedRequest } from "./exchange.ts";
import { errorReply, type Reply, replyFor, type WireProvider } from "./wire.ts";

// A provider that hands the caller's credentials back, as some APIs and proxies do: the value of
// the header the key travelled in (Authorization, x-api-key, x-goog-api-key), echoed where a
// client might store or print it. Used to prove no key reaches anything routegate writes.

/** Where the echo goes: a 4xx error body, an error object in a 200 reply, or the answer text of a 200. */
export type EchoPlace = "4xx" | "200-error" | "200-answer";
export const ECHO_PLACES: readonly EchoPlace[] = ["4xx", "200-error", "200-answer"];

/** The credential header's value as the server received it (the key, with any "Bearer " prefix). */
export function presentedCredential(req: RecordedRequest): string {
  return req.headers["x-goog-api-key"] ?? req.headers["x-api-key"] ?? req.headers.authorization ?? "";
}

/** A reply of `provider` that carries the request's credential in `place`. */
export function keyEchoReply(req: RecordedRequest, provider: WireProvider, place: EchoPlace): Reply {
  const message = `invalid credentials: ${presentedCredential(req)} was rejected`;
  if (place === "4xx") return errorReply(provider, 401, message);
  if (place === "200-answer") {
    const text = `Here is what you sent me: ${presentedCredential(req)}`;
    return { body: replyFor(provider, { text, usage: { prompt: 40, cached: 0, output: 8 }, model: req.model }) };
  }
  // Not retryable in any of the three shapes, so each echo is one request.
  if (provider === "anthropic") return { body: { type: "error", error: { type: "authentication_error", message } } };
  if (provider === "google") return { body: { error: { code: 401, message, status: "UNAUTHENTICATED" } } };
  return { body: { error: { message, type: "invalid_request_error", param: null, code: null } } };
}
