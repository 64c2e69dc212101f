import type { CallResult } from "../core/types.ts";
import type { RoutePlan } from "../runtime/route-plan.ts";
import type { Route } from "./routes.ts";
import type { ServedTraffic } from "./served-traffic.ts";
import { type ShadowEngine, type ShadowJob, sumCost } from "./shadow-engine.ts";
import { MAX_QUEUED, type RunnerStats, type ShadowRunner } from "./shadow-worker-host.ts";

// Shadow evaluation: for a sampled share of a route's requests, a candidate routing config also
// decides; where it would choose another model, that model answers too, in the background, with
// its own deadline (a client's disconnect does not cancel it) and never past the shadow budget
// (shadow-engine.ts). This is the gateway's side: it samples, waits for production's answer to
// be sent (a failed request is not shadowed: there is nothing to compare) and for a gap between
// served requests, then hands the request and production's answer to a runner: by default the
// shadow worker thread (shadow-worker.ts), so that the candidate's plan, call, budget and file
// writes never run on the event loop that serves production.
//
// Both answers are written as evidence routegate eval reads: a dataset line holding the request
// verbatim (so the evaluation sends exactly what production sent) and two recorded-outcome lines,
// models "production" and "candidate". The gateway keeps no store, so many instances can each
// append their own files.

export interface ShadowOptions {
  route: string;
  runner: ShadowRunner;
  /** Share of requests sampled, in [0, 1]. */
  rate: number;
  random?: () => number;
  log: (message: string) => void;
  /** The gateway's served requests: a sampled request's shadow work waits for a gap between them. */
  traffic?: ServedTraffic;
}

/** The longest a shadow job waits for a gap between served requests before it starts anyway. */
const MAX_GAP_WAIT_MS = 1000;

export interface ShadowStats extends RunnerStats {
  sampled: number;
}

export class Shadow {
  private sampled = 0;
  /** Jobs that never reached the runner (a request that could not be handed to the worker). */
  private lost = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: ShadowOptions) {}

  get stats(): ShadowStats {
    const r = this.opts.runner.stats;
    return { sampled: this.sampled, ...r, failed: r.failed + this.lost };
  }

  /**
   * Called with each planned request; returns at once. The job is handed over once production's
   * answer was sent and no served request is in flight.
   */
  consider(route: Route, plan: RoutePlan, answered: Promise<CallResult | undefined>): void {
    if (route.name !== this.opts.route || this.opts.runner.disabled) return;
    if ((this.opts.random ?? Math.random)() >= this.opts.rate) return;
    this.sampled++;
    const job = answered
      .then(async (production) => {
        if (!production) return;
        await (this.opts.traffic?.gap(MAX_GAP_WAIT_MS) ?? new Promise((resolve) => setImmediate(resolve)));
        this.opts.runner.submit(jobOf(plan, production));
      })
      .catch((err) => {
        this.lost++;
        this.opts.log(`shadow: ${plan.input.id}: ${(err as Error).message}`);
      })
      .finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  /** Waits for the shadow work under way (shutdown, tests), jobs sampled meanwhile included. */
  async drain(): Promise<void> {
    await this.handedOver();
    await this.opts.runner.drain();
  }

  /**
   * Drains, then closes the evidence files and the worker (shutdown). A request sampled after the
   * close began is not run; the runner counts it as failed.
   */
  async close(): Promise<void> {
    await this.handedOver();
    await this.opts.runner.close();
  }

  private async handedOver(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

/** The request and production's answer, as plain data (what is posted to the worker). */
function jobOf(plan: RoutePlan, production: CallResult): ShadowJob {
  return {
    input: plan.input,
    production: {
      model: production.model,
      text: production.text,
      latencyMs: production.latencyMs,
      costUsd: sumCost(plan),
    },
  };
}

/**
 * Runs the candidate on the gateway's own thread (`inProcess`: in-memory routers or providers),
 * holding at most `maxQueued` jobs as the worker does.
 */
export class InThreadRunner implements ShadowRunner {
  readonly disabled = false;
  private submitted = 0;
  private busy = 0;
  private dropped = 0;
  private closing = false;

  constructor(
    private readonly engine: ShadowEngine,
    private readonly maxQueued = MAX_QUEUED,
  ) {}

  submit(job: ShadowJob): void {
    if (this.closing) {
      this.dropped++;
      return;
    }
    if (this.submitted - this.engine.stats.finished >= this.maxQueued) {
      this.busy++;
      return;
    }
    this.submitted++;
    this.engine.submit(job);
  }
  drain(): Promise<void> {
    return this.engine.drain();
  }
  close(): Promise<void> {
    this.closing = true;
    return this.engine.close();
  }
  get stats(): RunnerStats {
    const { finished: _f, reservedUsd: _r, ...s } = this.engine.stats;
    return { ...s, failed: s.failed + this.dropped, skippedBusy: this.busy, crashes: 0, disabled: false };
  }
}
