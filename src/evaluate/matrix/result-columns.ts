import type { Usage } from "../../core/types.ts";
import type { BillableResult } from "../../pricing/result-cost.ts";

/**
 * What the figures read of one answer, without its text: the usage (zero when it carried none, as
 * a priced call result has), how it was billed.
 */
export interface AnswerUsage {
  usage: Usage;
  latencyMs: number;
  error: boolean;
  usageEstimated: boolean;
  /** Set when the record carried a cost and no tokens. */
  recordedCostUsd: number | undefined;
  serviceTier: "batch" | undefined;
}

/** What is kept of an answer before it is priced: a stored outcome, or a call result. */
export type UnpricedAnswer = BillableResult & { latencyMs: number };

const ESTIMATED = 1;
const BATCH = 2;
const ERROR = 4;
/** The answer carried no usage (a failure, a recorded bill without tokens): not the same as zero tokens. */
const NO_USAGE = 8;

/**
 * One model's answers as columns (typed arrays), not as result objects: a million answers take a
 * few tens of MB instead of a few GB, which is what lets a run's memory stay bounded by its window.
 */
export class ResultColumns {
  readonly length: number;
  private readonly tokens: Float64Array;
  private readonly latency: Float64Array;
  private readonly recordedCost: Float64Array;
  private readonly flags: Uint8Array;

  constructor(n: number) {
    this.length = n;
    this.tokens = new Float64Array(n * 6);
    this.latency = new Float64Array(n);
    this.recordedCost = new Float64Array(n).fill(Number.NaN);
    this.flags = new Uint8Array(n);
  }

  set(i: number, r: UnpricedAnswer): void {
    const t = this.tokens;
    const at = i * 6;
    const u = r.usage;
    if (u) {
      t[at] = u.input.noCache;
      t[at + 1] = u.input.cacheRead;
      t[at + 2] = u.input.cacheWrite5m;
      t[at + 3] = u.input.cacheWrite1h;
      t[at + 4] = u.output.text;
      t[at + 5] = u.output.reasoning;
    }
    this.latency[i] = r.latencyMs;
    if (r.recordedCostUsd !== undefined && r.recordedCostUsd !== null) this.recordedCost[i] = r.recordedCostUsd;
    this.flags[i] =
      (r.usageEstimated ? ESTIMATED : 0) |
      (r.serviceTier === "batch" ? BATCH : 0) |
      (r.error ? ERROR : 0) |
      (u ? 0 : NO_USAGE);
  }

  /**
   * Answer i as the cost rule reads it (pricing/result-cost.ts): no usage stays null. The error's
   * text is not kept; a placeholder stands for it (a failure costs nothing).
   */
  billable(i: number): UnpricedAnswer {
    const a = this.get(i);
    return {
      usage: this.flags[i]! & NO_USAGE ? null : a.usage,
      latencyMs: a.latencyMs,
      usageEstimated: a.usageEstimated,
      recordedCostUsd: a.recordedCostUsd ?? null,
      serviceTier: a.serviceTier ?? null,
      error: a.error ? "error" : null,
    };
  }

  get(i: number): AnswerUsage {
    const t = this.tokens;
    const at = i * 6;
    const f = this.flags[i]!;
    const cost = this.recordedCost[i]!;
    return {
      usage: {
        input: { noCache: t[at]!, cacheRead: t[at + 1]!, cacheWrite5m: t[at + 2]!, cacheWrite1h: t[at + 3]! },
        output: { text: t[at + 4]!, reasoning: t[at + 5]! },
      },
      latencyMs: this.latency[i]!,
      error: (f & ERROR) !== 0,
      usageEstimated: (f & ESTIMATED) !== 0,
      recordedCostUsd: Number.isNaN(cost) ? undefined : cost,
      serviceTier: f & BATCH ? "batch" : undefined,
    };
  }

  /** True when any answer's usage was estimated with a tokenizer. */
  anyEstimated(): boolean {
    for (let i = 0; i < this.length; i++) if (this.flags[i]! & ESTIMATED) return true;
    return false;
  }
}
