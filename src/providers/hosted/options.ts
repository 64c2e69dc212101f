import type { Env } from "./credentials.ts";

/** Constructor options every hosted adapter takes. Construction never needs a key. */
export interface HostedProviderOptions {
  /** Per-request timeout in ms (default 60 s). */
  timeoutMs?: number;
  /** Where keys and base URLs are read (default process.env); tests pass their own. */
  env?: Env;
}
