// The transport of an adapter's fast path: one POST of a JSON body whose reply is read whole. The
// SDKs send every call through the global fetch, whose WHATWG Request/Response objects and web
// streams cost more CPU than the rest of a gateway request together; a host where that matters
// (`routegate serve`) hands the adapters a plain HTTP client instead (hosted/undici-post.ts), and
// the adapter keeps everything that knows the provider: the body, the headers, the reading of
// the reply, the errors (built by the SDK's own classes, so they map exactly as the SDK's do).

export interface JsonPostRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  /** The transport's own backstop for the headers and for each gap in the body (ms; 0: none). */
  timeoutMs: number;
}

export interface JsonPostReply {
  status: number;
  /** Lower-case names, as Node's http module gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The whole body as text; rejects when the connection breaks before its end. */
  text(): Promise<string>;
  /** Reads and drops the body (a reply the caller will not use), releasing the connection. */
  discard(): Promise<void>;
}

/**
 * Sends one request; rejects (with the transport's own error) when no reply's status and headers
 * arrived: refused, reset, aborted by `signal`, or past `timeoutMs`.
 */
export type JsonPost = (request: JsonPostRequest) => Promise<JsonPostReply>;

/** The transport's own timeout (its backstop) passed: the adapters raise it as the SDK's timeout error. */
export function transportTimedOut(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT";
}

/** The reply's headers as a Headers object (what the SDKs' error classes keep). */
export function replyHeaders(reply: JsonPostReply): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

// A process that customised the global fetch (replaced it, or installed an undici dispatcher such
// as a ProxyAgent or a MockAgent) keeps getting it: the adapters' calls go where they went before.
// Node's own dispatcher (an `Agent`, created when its fetch machinery loads: `new Headers()` does
// that) is the baseline; one installed later, or one of another kind, turns the fast path off.
const DISPATCHER = Symbol.for("undici.globalDispatcher.1");
new Headers();
const fetchAtLoad = globalThis.fetch;
const dispatcherAtLoad: unknown = (globalThis as Record<symbol, unknown>)[DISPATCHER];

/** Whether the global fetch has been customised since (or before) this module loaded. */
export function globalFetchCustomised(): boolean {
  const dispatcher = (globalThis as Record<symbol, unknown>)[DISPATCHER];
  if (globalThis.fetch !== fetchAtLoad || dispatcher !== dispatcherAtLoad) return true;
  return dispatcher !== undefined && (dispatcher as object).constructor?.name !== "Agent";
}
