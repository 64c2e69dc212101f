import type { RuntimeAllowList } from "../runtime/allow-list.ts";
import type { ShadowJob } from "./shadow-engine.ts";

// What the gateway and its shadow worker thread say to each other: structured-cloned plain data,
// and the counts' shared buffer (no message goes back to the gateway per sampled request). The
// worker reads the upstream keys from its own copy of the environment: no secret is in a message.

/** The worker's `workerData`: the inputs the gateway built the candidate from. */
export interface ShadowWorkerInit {
  /** The candidate config's text as the gateway read and checked it (a later edit changes nothing). */
  configText: string;
  /** The config's file, for error messages. */
  source: string;
  /** The `--routers` module the gateway loaded, when there is one. */
  routersModule?: string;
  allow: RuntimeAllowList;
  maxCostUsd: number;
  /**
   * The engine's counts, shared with the gateway (shadow-stats.ts); `spentUsd` starts at what was
   * spent (or reserved by calls a dead worker left) before this worker started.
   */
  stats: SharedArrayBuffer;
  out: string;
  deadlineMs?: number;
}

export type ToShadowWorker =
  | { type: "job"; job: ShadowJob }
  | { type: "drain"; id: number }
  | { type: "close"; id: number };

export type FromShadowWorker =
  | { type: "ready" }
  | { type: "refused"; config: boolean; message: string }
  | { type: "log"; message: string }
  | { type: "drained"; id: number }
  | { type: "closed"; id: number };
