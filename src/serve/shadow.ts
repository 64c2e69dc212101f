import { createWriteStream, type WriteStream } from "node:fs";
import type { DatasetLine } from "../contracts/dataset-line.ts";
import type { ModelSpec } from "../contracts/model-spec.ts";
import type { RecordedOutcomeLine } from "../contracts/recorded-outcome.ts";
import { redactPii } from "../core/redact-pii.ts";
import type { CallResult, ChatRequest } from "../core/types.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import type { RuntimeRouter } from "../runtime/create-router.ts";
import type { RoutePlan } from "../runtime/route-plan.ts";
import type { Route } from "./routes.ts";
import type { ServedTraffic } from "./served-traffic.ts";

// Shadow evaluation: for a sampled share of a route's requests, a candidate routing config also
// decides; where it would choose another model, that model answers too, in the background: after
// production's answer was sent, in a gap between served requests (the candidate's plan and call
// share the event loop that serves them), with its own deadline (a client's disconnect does not
// cancel it), and never past the shadow budget. Every model call the candidate makes (its
// score step's too: a cascade's weak answer, a classifier) is charged to that budget.
//
// Both answers are written as evidence routegate eval reads: a dataset line holding the request
// verbatim (so the evaluation sends exactly what production sent) and two recorded-outcome lines,
// models "production" and "candidate". The gateway keeps no store, so many instances can each
// append their own files.

export interface ShadowOptions {
  route: string;
  candidate: RuntimeRouter;
  /** Share of requests sampled, in [0, 1]. */
  rate: number;
  maxCostUsd: number;
  /** Writes `<out>.items.jsonl` and `<out>.outcomes.jsonl`. */
  out: string;
  prices: PriceBook;
  deadlineMs?: number;
  random?: () => number;
  log: (message: string) => void;
  /** The gateway's served requests: a sampled request's shadow work waits for a gap between them. */
  traffic?: ServedTraffic;
}

/** The longest a shadow job waits for a gap between served requests before it starts anyway. */
const MAX_GAP_WAIT_MS = 1000;

export interface ShadowStats {
  sampled: number;
  differed: number;
  written: number;
  skippedBudget: number;
  failed: number;
  spentUsd: number;
}

export class Shadow {
  readonly stats: ShadowStats = { sampled: 0, differed: 0, written: 0, skippedBudget: 0, failed: 0, spentUsd: 0 };
  private reservedUsd = 0;
  private readonly inFlight = new Set<Promise<void>>();
  // Appended through streams, not appendFileSync: a sampled request never blocks the event loop
  // that serves production on a disk write. Opened on the first line written.
  private files: { items: WriteStream; outcomes: WriteStream } | undefined;
  private flushed: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ShadowOptions) {}

  /**
   * Called with each planned request; returns at once. The work starts once production's answer
   * was sent (a failed request is not shadowed: there is nothing to compare) and no served
   * request is in flight.
   */
  consider(route: Route, plan: RoutePlan, answered: Promise<CallResult | undefined>): void {
    if (route.name !== this.opts.route || (this.opts.random ?? Math.random)() >= this.opts.rate) return;
    this.stats.sampled++;
    const job = answered
      .then(async (production) => {
        if (!production) return;
        await (this.opts.traffic?.gap(MAX_GAP_WAIT_MS) ?? new Promise((resolve) => setImmediate(resolve)));
        await this.run(plan, production);
      })
      .catch((err) => {
        this.stats.failed++;
        this.opts.log(`shadow: ${plan.input.id}: ${(err as Error).message}`);
      })
      .finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  /** Waits for the shadow calls under way (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
    await this.flushed;
  }

  private async run(plan: RoutePlan, production: CallResult): Promise<void> {
    const reserve = this.worstCase(plan.input.request);
    if (this.stats.spentUsd + this.reservedUsd + reserve > this.opts.maxCostUsd) {
      this.stats.skippedBudget++;
      return;
    }
    this.reservedUsd += reserve;
    let candidatePlan: RoutePlan | undefined;
    try {
      const signal = AbortSignal.timeout(this.opts.deadlineMs ?? 120_000);
      candidatePlan = await this.opts.candidate.plan(plan.input, signal);
      if (candidatePlan.choice.model === production.model) return;
      this.stats.differed++;
      const candidate = await candidatePlan.caller.call(candidatePlan.choice.model, plan.input.request, { signal });
      this.write(
        plan,
        { answer: production, costUsd: sumCost(plan) },
        { answer: candidate, costUsd: sumCost(candidatePlan) },
      );
    } finally {
      this.reservedUsd -= reserve;
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

  /** Drains, then closes the files (shutdown). */
  async close(): Promise<void> {
    await this.drain();
    const files = this.files;
    this.files = undefined;
    if (files) await Promise.all([files.items, files.outcomes].map((f) => new Promise((r) => f.end(r))));
  }

  private write(plan: RoutePlan, production: PolicyAnswer, candidate: PolicyAnswer): void {
    const id = plan.input.id;
    const { cache: _hint, tools: _t, toolChoice: _c, jsonSchema: _s, logprobs: _l, ...request } = plan.input.request;
    const input = typeof plan.input.input === "string" ? redactPii(plan.input.input) : plan.input.input;
    const item: DatasetLine = {
      id,
      input,
      metadata: {
        ...(plan.input.metadata ?? {}),
        productionModel: production.answer.model,
        candidateModel: candidate.answer.model,
      },
      request: { ...request, messages: request.messages.map((m) => ({ ...m, content: redactPii(m.content) })) },
    };
    this.files ??= { items: this.open("items"), outcomes: this.open("outcomes") };
    const lines = [outcome(id, "production", production), outcome(id, "candidate", candidate)];
    const { items, outcomes } = this.files;
    this.flushed = Promise.all([
      new Promise((r) => items.write(`${JSON.stringify(item)}\n`, r)),
      new Promise((r) => outcomes.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(""), r)),
    ]);
    this.stats.written++;
  }
}

/** A policy's answer to one request, and everything the policy paid for it (score-step calls included). */
interface PolicyAnswer {
  answer: CallResult;
  costUsd: number;
}

const sumCost = (plan: RoutePlan) => plan.caller.calls.reduce((s, c) => s + c.costUsd, 0);

/**
 * "production" and "candidate" are policies, not models: the model behind them varies per request,
 * so no price row fits them. Their lines carry the cost paid (at the prices in force when served)
 * and no token usage, which routegate eval then takes as recorded instead of repricing.
 */
function outcome(itemId: string, model: string, { answer, costUsd }: PolicyAnswer): RecordedOutcomeLine {
  return { itemId, model, output: redactPii(answer.text), latencyMs: answer.latencyMs, costUsd };
}
