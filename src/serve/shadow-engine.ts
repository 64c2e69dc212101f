import { createWriteStream, type WriteStream } from "node:fs";
import type { DatasetLine } from "../contracts/dataset-line.ts";
import type { ModelSpec } from "../contracts/model-spec.ts";
import type { RecordedOutcomeLine } from "../contracts/recorded-outcome.ts";
import { redactPii } from "../core/redact-pii.ts";
import type { CallResult, ChatRequest } from "../core/types.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import type { RuntimeRouter } from "../runtime/create-router.ts";
import type { RouteInput, RoutePlan } from "../runtime/route-plan.ts";

// The candidate's side of shadow evaluation, for one sampled request whose production answer is
// known: the candidate plans; where it would choose another model, that model answers, with its
// own deadline, never past the shadow budget (the worst case is reserved before any call, and
// every call the candidate makes, its score step's too, is charged). Both answers are written as
// evidence routegate eval reads: a dataset line holding the request verbatim (redacted) and two
// recorded-outcome lines, models "production" and "candidate". It runs in the shadow worker
// thread (shadow-worker.ts), or in the gateway's own thread when a host asks for that.

/** A sampled request and production's answer to it: plain data, so it crosses to a worker thread. */
export interface ShadowJob {
  input: RouteInput;
  production: ProductionAnswer;
}

export interface ProductionAnswer {
  model: string;
  text: string;
  latencyMs: number;
  /** Everything production paid for this request (its score step's calls included). */
  costUsd: number;
}

/** Counts of an engine that has done nothing yet. */
export const zeroEngineStats = (): EngineStats => ({
  finished: 0,
  differed: 0,
  written: 0,
  skippedBudget: 0,
  failed: 0,
  spentUsd: 0,
  reservedUsd: 0,
});

export interface EngineStats {
  /** Jobs finished, whatever their outcome. */
  finished: number;
  differed: number;
  written: number;
  skippedBudget: number;
  failed: number;
  spentUsd: number;
  /** Worst cases reserved by calls under way: spent for all the budget knows if the thread dies. */
  reservedUsd: number;
}

export interface ShadowEngineOptions {
  candidate: RuntimeRouter;
  maxCostUsd: number;
  /** Where the counts are kept (the worker's: shared with the gateway's thread); default a plain object. */
  stats?: EngineStats;
  /** Writes `<out>.items.jsonl` and `<out>.outcomes.jsonl`. */
  out: string;
  prices: PriceBook;
  deadlineMs?: number;
  log: (message: string) => void;
}

/**
 * Jobs the candidate works on at once. Shadow work runs only when production leaves it a core;
 * when it falls behind (a starved worker, slow candidate calls) the backlog must wait in memory,
 * not start together: a thousand sampled requests started at once are a thousand upstream
 * connections opened (each with its handshake), a burst the candidate's provider sees too.
 */
export const MAX_CONCURRENT = 4;

export class ShadowEngine {
  readonly stats: EngineStats;
  private readonly inFlight = new Set<Promise<void>>();
  /** Jobs submitted while MAX_CONCURRENT were under way, oldest first. */
  private readonly waiting: ShadowJob[] = [];
  // Appended through streams, not appendFileSync: a job never blocks its thread on a disk write.
  // Opened on the first line written.
  private files: { items: WriteStream; outcomes: WriteStream } | undefined;
  private flushed: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ShadowEngineOptions) {
    this.stats = opts.stats ?? zeroEngineStats();
  }

  /**
   * Starts the job, or queues it while MAX_CONCURRENT jobs are under way; its failure is counted
   * and logged, never thrown. How many may wait is the runner's to bound (skippedBusy).
   */
  submit(job: ShadowJob): void {
    if (this.inFlight.size >= MAX_CONCURRENT) this.waiting.push(job);
    else this.start(job);
  }

  private start(job: ShadowJob): void {
    const run = this.run(job)
      .catch((err) => {
        this.stats.failed++;
        this.opts.log(`shadow: ${job.input.id}: ${(err as Error).message}`);
      })
      .finally(() => {
        this.inFlight.delete(run);
        this.stats.finished++;
        const next = this.waiting.shift();
        if (next) this.start(next);
      });
    this.inFlight.add(run);
  }

  /** Waits for the jobs under way and queued, and the lines written. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.flushed;
  }

  /** Drains, then closes the files. */
  async close(): Promise<void> {
    await this.drain();
    const files = this.files;
    this.files = undefined;
    if (files) await Promise.all([files.items, files.outcomes].map((f) => new Promise((r) => f.end(r))));
  }

  private async run({ input, production }: ShadowJob): Promise<void> {
    const reserve = this.worstCase(input.request);
    if (this.stats.spentUsd + this.stats.reservedUsd + reserve > this.opts.maxCostUsd) {
      this.stats.skippedBudget++;
      return;
    }
    // Counted before any call starts (in memory the gateway reads: shadow-stats.ts): if the thread
    // dies mid-call, the gateway counts the reservation as spent, so a restarted worker cannot
    // spend it again.
    this.stats.reservedUsd += reserve;
    let candidatePlan: RoutePlan | undefined;
    try {
      const signal = AbortSignal.timeout(this.opts.deadlineMs ?? 120_000);
      candidatePlan = await this.opts.candidate.plan(input, signal);
      if (candidatePlan.choice.model === production.model) return;
      this.stats.differed++;
      const candidate = await candidatePlan.caller.call(candidatePlan.choice.model, input.request, { signal });
      this.write(input, production, { answer: candidate, costUsd: sumCost(candidatePlan) });
    } finally {
      this.stats.reservedUsd -= reserve;
      this.stats.spentUsd += candidatePlan ? sumCost(candidatePlan) : 0;
    }
  }

  /**
   * What one sampled request may cost at most: the score step and the answer at the candidate's
   * dearest model, each with the whole prompt (at one token per 2 characters, generous) and the
   * request's full output cap. A model without a known price reserves nothing and costs nothing.
   */
  private worstCase(request: ChatRequest): number {
    const chars = request.messages.reduce((n, m) => n + m.content.length, 0);
    const perCall = Math.max(
      0,
      ...this.opts.candidate.config.models.map((spec) => this.callCost(spec, Math.ceil(chars / 2), request.maxTokens)),
    );
    return 2 * perCall;
  }

  private callCost(spec: ModelSpec, input: number, output: number): number {
    try {
      const p = this.opts.prices.priceFor(spec);
      return (input * p.input + output * p.output) / 1e6;
    } catch {
      return 0;
    }
  }

  private open(kind: "items" | "outcomes"): WriteStream {
    const file = `${this.opts.out}.${kind}.jsonl`;
    const stream = createWriteStream(file, { flags: "a", mode: 0o600 });
    // A file that cannot be written loses shadow evidence, never production's answers.
    stream.on("error", (err) => this.opts.log(`shadow: cannot write ${file}: ${err.message}`));
    return stream;
  }

  private write(input: RouteInput, production: ProductionAnswer, candidate: CandidateAnswer): void {
    const id = input.id;
    const { cache: _hint, tools: _t, toolChoice: _c, jsonSchema: _s, logprobs: _l, ...request } = input.request;
    const item: DatasetLine = {
      id,
      input: typeof input.input === "string" ? redactPii(input.input) : input.input,
      metadata: {
        ...(input.metadata ?? {}),
        productionModel: production.model,
        candidateModel: candidate.answer.model,
      },
      request: { ...request, messages: request.messages.map((m) => ({ ...m, content: redactPii(m.content) })) },
    };
    this.files ??= { items: this.open("items"), outcomes: this.open("outcomes") };
    const lines = [
      outcome(id, "production", production.text, production.latencyMs, production.costUsd),
      outcome(id, "candidate", candidate.answer.text, candidate.answer.latencyMs, candidate.costUsd),
    ];
    const { items, outcomes } = this.files;
    this.flushed = Promise.all([
      this.flushed,
      new Promise((r) => items.write(`${JSON.stringify(item)}\n`, r)),
      new Promise((r) => outcomes.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(""), r)),
    ]);
    this.stats.written++;
  }
}

/** The candidate's answer to one request, and everything it paid for it (score-step calls included). */
interface CandidateAnswer {
  answer: CallResult;
  costUsd: number;
}

export const sumCost = (plan: RoutePlan) => plan.caller.calls.reduce((s, c) => s + c.costUsd, 0);

/**
 * "production" and "candidate" are policies, not models: the model behind them varies per request,
 * so no price row fits them. Their lines carry the cost paid (at the prices in force when served)
 * and no token usage, which routegate eval then takes as recorded instead of repricing.
 */
function outcome(itemId: string, model: string, text: string, latencyMs: number, costUsd: number): RecordedOutcomeLine {
  return { itemId, model, output: redactPii(text), latencyMs, costUsd };
}
