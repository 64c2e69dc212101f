import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ShadowStats } from "./shadow.ts";

// The gateway's Prometheus metrics (`GET /metrics`), in a registry of its own so that two gateways
// in one process (tests) or a host's own metrics never mix. Label values are route names, model
// ids and error codes only: never request text.

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "routegate_requests_total",
    help: "Chat completion requests answered, by route, HTTP status and streaming.",
    labelNames: ["route", "status", "stream"] as const,
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: "routegate_decisions_total",
    help: "Routing decisions, by route and the model the router chose.",
    labelNames: ["route", "model"] as const,
    registers: [this.registry],
  });
  readonly fallbacks = new Counter({
    name: "routegate_fallbacks_total",
    help: "Upstream failures that moved a request to the next model, by route and failed model.",
    labelNames: ["route", "model"] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "routegate_errors_total",
    help: "Requests answered with an error, by route and error code.",
    labelNames: ["route", "code"] as const,
    registers: [this.registry],
  });
  readonly keyLimited = new Counter({
    name: "routegate_key_limited_total",
    help: "Requests refused with 429 by a gateway key's cap, by key name and code (rate or spend).",
    labelNames: ["key", "code"] as const,
    registers: [this.registry],
  });
  readonly costUsd = new Counter({
    name: "routegate_cost_usd_total",
    help: "Upstream cost in USD (priced from usage), by route and answering model.",
    labelNames: ["route", "model"] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "routegate_request_duration_seconds",
    help: "Time from the request's arrival to its last byte, by route and streaming.",
    labelNames: ["route", "stream"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly planDuration = new Histogram({
    name: "routegate_plan_duration_seconds",
    help: "Time from arrival to the routing decision (the router's score step: a cascade's held-back weak answer, a classifier call), by route and streaming. A streamed answer's first chunk cannot come earlier.",
    labelNames: ["route", "stream"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly firstByte = new Histogram({
    name: "routegate_time_to_first_chunk_seconds",
    help: "Streamed requests: time from arrival to the first chunk sent.",
    labelNames: ["route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly configVersion = new Gauge({
    name: "routegate_config_version",
    help: "Accepted loads of each route's routing config (1 at start).",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });
  readonly configRefused = new Counter({
    name: "routegate_config_reloads_refused_total",
    help: "Reloads refused (the last good config kept serving).",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });

  /**
   * Shadow evaluation's counts (shadow.ts), read when /metrics is scraped: its work runs in a
   * worker thread whose latest counts the gateway keeps.
   */
  watchShadow(stats: () => ShadowStats): void {
    const registers = [this.registry];
    new Gauge({
      name: "routegate_shadow_requests",
      help: "Shadow evaluation: requests sampled, where the candidate chose another model, answers written, skipped for the budget, dropped while the worker held too many, failed.",
      labelNames: ["outcome"] as const,
      registers,
      collect() {
        const s = stats();
        this.set({ outcome: "sampled" }, s.sampled);
        this.set({ outcome: "differed" }, s.differed);
        this.set({ outcome: "written" }, s.written);
        this.set({ outcome: "skipped_budget" }, s.skippedBudget);
        this.set({ outcome: "skipped_busy" }, s.skippedBusy);
        this.set({ outcome: "failed" }, s.failed);
      },
    });
    new Gauge({
      name: "routegate_shadow_spent_usd",
      help: "Shadow evaluation: USD the candidate's calls spent.",
      registers,
      collect() {
        this.set(stats().spentUsd);
      },
    });
    new Gauge({
      name: "routegate_shadow_worker_crashes",
      help: "Shadow evaluation: worker threads that died (production unaffected); shadow turns off after 4.",
      registers,
      collect() {
        this.set(stats().crashes);
      },
    });
  }
}
