import type { Env } from "./credentials.ts";
import type { JsonPost } from "./json-post.ts";

/** Constructor options every hosted adapter takes. Construction never needs a key. */
export interface HostedProviderOptions {
  /** Per-request timeout in ms (default 60 s). */
  timeoutMs?: number;
  /** Where keys and base URLs are read (default process.env); tests pass their own. */
  env?: Env;
  /**
   * A plain HTTP transport for non-streamed calls in place of the SDK's fetch (the gateway passes
   * hosted/undici-post.ts); adapters without a fast path ignore it. Absent: every call goes
   * through the SDK.
   */
  post?: JsonPost;
}
