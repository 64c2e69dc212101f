import type { Progress } from "../../collect/progress.ts";
import type { Answer, StoreCaller } from "../../collect/store-caller.ts";
import type { CallResult, ChatRequest, Item, ModelId } from "../../core/types.ts";
import type { JudgeCaller, JudgeRun } from "../../scoring/judge/types.ts";
import type { AnyScorer, ExactScorer } from "../../scoring/scorer.ts";

/**
 * Every candidate's answer to every item, scored: the table policies are replayed over.
 * Rows are models (in eval order), columns items; typed arrays keep sweeps allocation-free.
 */
export interface AnswerMatrix {
  models: ModelId[];
  items: Item[];
  requests: ChatRequest[];
  results: CallResult[][];
  score: Float64Array[];
  cost: Float64Array[];
  latency: Float64Array[];
  error: Uint8Array[];
  /** Per model and item: the request hash of the answer, to see whether a router already paid for it. */
  hash: string[][];
  /**
   * When a judge scored the answers: its verdicts, diagnostics and own cost. Judge calls are the
   * evaluation's cost, kept here and never added to `cost` (what policies are charged).
   */
  judge?: JudgeRun;
}

/**
 * Called once every answer is in and before any is priced: the place to price a model from the
 * run's own answers (a self-hosted model's measured throughput), so no answer is ever costed at a
 * placeholder price. `answers[k][i]` is model k's answer to item i.
 */
export type BeforeCosting = (answers: readonly (readonly Answer[])[]) => void;

export async function collectAnswers(
  caller: StoreCaller,
  items: Item[],
  models: ModelId[],
  render: (item: Item) => ChatRequest,
  scorer: AnyScorer,
  progress: Progress,
  /** Progress of the judge's calls (judge scorers only). */
  judgeProgress?: Progress,
  beforeCosting?: BeforeCosting,
): Promise<AnswerMatrix> {
  const requests = items.map(render);
  progress.start(items.length * models.length);
  const answers = await Promise.all(
    models.map((model) =>
      Promise.all(
        items.map(async (item, i) => {
          const answer = await caller.answer(item, model, requests[i]!);
          progress.tick("record" in answer && answer.cached);
          return answer;
        }),
      ),
    ),
  );
  progress.stop();
  beforeCosting?.(answers);
  const results = answers.map((row) => row.map((a) => caller.price(a)));
  const n = items.length;
  const matrix: AnswerMatrix = {
    models,
    items,
    requests,
    results,
    score: [],
    cost: [],
    latency: [],
    error: [],
    hash: [],
  };
  // Exact scorers stay sync and run inline below; a judge scores the whole matrix first.
  const judged =
    scorer.kind === "judge"
      ? await scorer.run({
          caller: judgeCaller(caller),
          items,
          models,
          results,
          requests,
          ...(judgeProgress ? { progress: judgeProgress } : {}),
        })
      : undefined;
  if (judged) matrix.judge = judged;
  const exact: ExactScorer | null = scorer.kind === "exact" ? scorer : null;
  results.forEach((row, k) => {
    const score = judged ? judged.score[k]! : new Float64Array(n);
    const cost = new Float64Array(n);
    const latency = new Float64Array(n);
    const error = new Uint8Array(n);
    row.forEach((r, i) => {
      // An item whose answer is an error scores 0 and stays in the denominator (METRICS.md section 1).
      if (exact) score[i] = r.error ? 0 : exact(r.text, items[i]!).score;
      else if (r.error) score[i] = 0;
      cost[i] = r.costUsd;
      latency[i] = r.latencyMs;
      error[i] = r.error ? 1 : 0;
    });
    matrix.score.push(score);
    matrix.cost.push(cost);
    matrix.latency.push(latency);
    matrix.error.push(error);
    matrix.hash.push(row.map((r) => r.requestHash));
  });
  return matrix;
}

/** The store-backed caller as a judge sees it: calls (role "judge"), specs and snapshots. */
function judgeCaller(caller: StoreCaller): JudgeCaller {
  return {
    call: (item, model, request, opts) => caller.call(item, model, request, opts),
    specOf: (model) => caller.resolve(model).spec,
    snapshotOf: (model) => caller.resolve(model).snapshot,
  };
}
