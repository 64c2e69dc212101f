import type { Worker } from "node:worker_threads";
import { RoutingConfigError } from "../contracts/routing-config.ts";
import { startModuleWorker } from "../core/module-worker.ts";
import { type EngineStats, type ShadowJob, zeroEngineStats } from "./shadow-engine.ts";
import type { FromShadowWorker, ShadowWorkerInit, ToShadowWorker } from "./shadow-messages.ts";
import { sharedStats, statsBuffer } from "./shadow-stats.ts";

// The gateway's side of the shadow worker thread (shadow-worker.ts): it hands each sampled job over
// and keeps the worker's stats. A worker that dies (an uncaught error in a router's code, memory)
// takes none of production with it: the death is logged and counted, the jobs it held count as
// failed, the budget it had reserved counts as spent, and a fresh worker takes over, up to
// MAX_RESTARTS times; after that shadow evaluation is off, with a log line, and production goes on.

/** What the gateway's /metrics and logs show of a runner (in-thread or worker). */
export interface RunnerStats extends Omit<EngineStats, "finished" | "reservedUsd"> {
  /** Sampled requests dropped because the worker already held `maxQueued` (it is starved of CPU, or its calls hang). */
  skippedBusy: number;
  /** Worker threads that died. */
  crashes: number;
  /** True once shadow evaluation was turned off (too many crashes). */
  disabled: boolean;
}

export interface ShadowRunner {
  submit(job: ShadowJob): void;
  drain(): Promise<void>;
  close(): Promise<void>;
  readonly stats: RunnerStats;
  /** Cheap to read per request (stats builds an object). */
  readonly disabled: boolean;
}

export const MAX_RESTARTS = 3;
/**
 * Jobs the worker may hold (waiting or under way) before new samples are dropped and counted: at
 * nice 19 on a machine that never leaves it a core, or with a candidate whose calls hang until
 * their deadline, jobs would otherwise pile up in memory without a bound.
 */
export const MAX_QUEUED = 1000;

type RunnerInit = Omit<ShadowWorkerInit, "stats"> & { maxQueued?: number };

export class ShadowWorkerRunner implements ShadowRunner {
  private worker: Worker;
  /** Counts of the workers that died before this one. */
  private readonly before = zeroEngineStats();
  /** The current worker's counts, in memory it writes (shadow-stats.ts). */
  private current: EngineStats;
  private submitted = 0;
  private busy = 0;
  /** Jobs handed over after the runner turned off or began to close. */
  private dropped = 0;
  private crashes = 0;
  private off = false;
  private closing = false;
  /** The worker ended after a close: nothing is left to drain. */
  private gone = false;
  /** Until the first worker is ready, its refusal is start's to throw, not a restart's. */
  private booting = true;
  private seq = 0;
  private readonly replies = new Map<number, () => void>();

  /** Starts the worker and waits until it built the candidate; throws what it refused. */
  static async start(init: RunnerInit, log: (m: string) => void): Promise<ShadowWorkerRunner> {
    const runner = new ShadowWorkerRunner(init, log);
    await runner.ready(runner.worker);
    runner.booting = false;
    return runner;
  }

  private constructor(
    private readonly init: RunnerInit,
    private readonly log: (m: string) => void,
  ) {
    [this.worker, this.current] = this.spawn(0);
  }

  get disabled(): boolean {
    return this.off;
  }

  get stats(): RunnerStats {
    const b = this.before;
    const c = this.current;
    return {
      differed: b.differed + c.differed,
      written: b.written + c.written,
      skippedBudget: b.skippedBudget + c.skippedBudget,
      failed: b.failed + c.failed + this.dropped,
      skippedBusy: this.busy,
      spentUsd: c.spentUsd,
      crashes: this.crashes,
      disabled: this.off,
    };
  }

  submit(job: ShadowJob): void {
    if (this.off || this.closing) {
      // Sampled before shadow evaluation turned off or the gateway began to close: never run,
      // counted with the failures (as a job lost with a dead worker is).
      this.dropped++;
      return;
    }
    if (this.submitted - this.current.finished >= (this.init.maxQueued ?? MAX_QUEUED)) {
      this.busy++;
      return;
    }
    this.send({ type: "job", job });
    this.submitted++;
  }

  drain(): Promise<void> {
    return this.ask("drain");
  }

  private closed: Promise<void> | undefined;

  /** Drains, closes the files and ends the thread; called again, waits for the first close. */
  close(): Promise<void> {
    this.closed ??= this.closeOnce();
    return this.closed;
  }

  private async closeOnce(): Promise<void> {
    const closed = this.ask("close");
    // Set after the message is sent: the worker exits once it closed its files.
    this.closing = true;
    await closed;
    await this.worker.terminate();
  }

  private ask(type: "drain" | "close"): Promise<void> {
    // A worker that was closed (or shadow turned off) holds no work, and would never answer.
    if (this.off || this.gone) return Promise.resolve();
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.send({ type, id });
    });
  }

  private send(message: ToShadowWorker): void {
    this.worker.postMessage(message);
  }

  private spawn(spentUsd: number): [Worker, EngineStats] {
    const stats = statsBuffer(spentUsd);
    const worker = startModuleWorker(import.meta.url, "shadow-worker", {
      workerData: { ...this.init, stats },
    });
    let error: Error | undefined;
    // Without an "error" listener a worker's uncaught error would be rethrown in this thread.
    worker.on("error", (err) => {
      error = err;
    });
    worker.on("message", (m: FromShadowWorker) => this.onMessage(m));
    worker.on("exit", (code) => {
      if (worker !== this.worker) return;
      if (this.closing) {
        this.gone = true;
        this.answerAll();
      } else this.crashed(error?.message ?? `exit code ${code}`);
    });
    return [worker, sharedStats(stats)];
  }

  private ready(worker: Worker): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromShadowWorker) => {
        if (m.type === "ready") done(resolve);
        if (m.type === "refused") {
          this.closing = true;
          void worker.terminate();
          done(() => reject(m.config ? new RoutingConfigError(m.message) : new Error(m.message)));
        }
      };
      const onError = (err: Error) => {
        this.closing = true;
        done(() => reject(new Error(`the shadow worker did not start: ${err.message}`)));
      };
      const done = (then: () => void) => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        then();
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
    });
  }

  private onMessage(m: FromShadowWorker): void {
    if (m.type === "log") this.log(m.message);
    else if (m.type === "drained" || m.type === "closed") {
      this.replies.get(m.id)?.();
      this.replies.delete(m.id);
    } else if (m.type === "refused" && !this.booting) {
      // A restarted worker refusing the config the first one accepted: nothing left to run.
      this.disable(`the restarted worker refused the candidate: ${m.message}`);
    }
  }

  private crashed(why: string): void {
    this.crashes++;
    const lost = this.submitted - this.current.finished;
    const { before, current } = this;
    before.differed += current.differed;
    before.written += current.written;
    before.skippedBudget += current.skippedBudget;
    before.failed += current.failed + lost;
    // A call under way when the worker died may have been paid: its reservation counts as spent.
    const spent = current.spentUsd + current.reservedUsd;
    this.submitted = 0;
    this.answerAll();
    if (this.crashes > MAX_RESTARTS) {
      this.disable(`the worker died ${this.crashes} times (last: ${why})`);
      return;
    }
    this.log(
      `shadow: the worker died (${why}); ${lost} sampled requests lost; restarting it (${this.crashes} of ${MAX_RESTARTS} restarts); production unaffected`,
    );
    [this.worker, this.current] = this.spawn(spent);
  }

  /** Drains and closes asked of a worker that is gone: nothing of its work is left to wait for. */
  private answerAll(): void {
    for (const reply of this.replies.values()) reply();
    this.replies.clear();
  }

  private disable(why: string): void {
    this.off = true;
    this.closing = true;
    void this.worker.terminate();
    this.answerAll();
    this.log(`shadow: evaluation turned off: ${why}; production unaffected`);
  }
}
