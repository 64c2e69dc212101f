import type { RuntimeAllowList } from "../runtime/allow-list.ts";
import type { EngineStats, ShadowJob } from "./shadow-engine.ts";

// What the gateway and its shadow worker thread say to each other. Structured-cloned plain data
// only; the worker reads the upstream keys from its own copy of the environment, so no secret is
// ever in a message.

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
  /** Spent (or reserved by calls a crashed worker left) before this worker started. */
  spentUsd: number;
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
  | { type: "stats"; stats: EngineStats }
  | { type: "log"; message: string }
  | { type: "drained"; id: number }
  | { type: "closed"; id: number };
