import { Agent, request } from "undici";
import { type JsonPost, transportTimedOut } from "./json-post.ts";

// hosted/json-post.ts's transport on undici's `request` API: keep-alive connection pools per
// origin, the reply body a Node stream read whole, no WHATWG Request/Response or web streams.
// Only the gateway loads it (the runtime package never imports this file or undici).

/** Idle sockets close after this long (undici's default, and what most servers' keep-alive allows). */
const KEEP_ALIVE_MS = 4000;

export function undiciJsonPost(): JsonPost & { close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: KEEP_ALIVE_MS });
  const post: JsonPost = async ({ url, headers, body, signal, timeoutMs }) => {
    const res = await request(url, {
      dispatcher: agent,
      method: "POST",
      headers,
      body,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return {
      status: res.statusCode,
      headers: res.headers,
      // As the global fetch: a body cut short rejects with `TypeError: terminated` (its cause: the
      // socket's error), so the adapters' mapping and messages are those of the SDK path.
      text: () =>
        res.body.text().catch((err: unknown) => {
          throw signal.aborted || transportTimedOut(err) ? err : new TypeError("terminated", { cause: err });
        }),
      discard: () => res.body.dump(),
    };
  };
  return Object.assign(post, { close: () => agent.close() });
}
