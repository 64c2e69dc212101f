import { priceOf } from "../../collect/call-result.ts";
import type { Progress } from "../../collect/progress.ts";
import type { Answer, StoreCaller } from "../../collect/store-caller.ts";
import type { ChatRequest, Item, ModelId } from "../../core/types.ts";
import type { DatasetItems } from "../../datasets/dataset-items.ts";
import type { JudgeCaller, JudgeRun } from "../../scoring/judge/types.ts";
import type { AnyScorer, ExactScorer } from "../../scoring/scorer.ts";
import { HashColumns } from "./hash-columns.ts";
import { ResultColumns } from "./result-columns.ts";

/**
 * Every candidate's answer to every item, scored: the table policies are replayed over.
 * Rows are models (in eval order), columns items; typed arrays keep sweeps allocation-free.
 */
export interface AnswerMatrix {
  models: ModelId[];
  /** The dataset's items: a file's are read again when asked for, not kept (DatasetItems). */
  items: DatasetItems;
  /** Item i's request, rendered again when asked: a million requests are not kept. */
  request: (i: number) => ChatRequest;
  /** Per model: each answer's usage, billing and latency (the answer's text is not kept). */
  answers: ResultColumns[];
  score: Float64Array[];
  cost: Float64Array[];
  latency: Float64Array[];
  error: Uint8Array[];
  /** Per model and item: the request hash of the answer, to see whether a router already paid for it. */
  hash: HashColumns[];
  /**
   * When a judge scored the answers: its verdicts, diagnostics and own cost. Judge calls are the
   * evaluation's cost, kept here and never added to `cost` (what policies are charged).
   */
  judge?: JudgeRun;
}

/**
 * Called once every answer is in and before any is priced: the place to price a model from the
 * run's own answers (a self-hosted model's measured throughput), so no answer is ever costed at a
 * placeholder price. `answers[k]` holds model k's answers, unpriced.
 */
export type BeforeCosting = (answers: readonly ResultColumns[]) => void;

/**
 * Items per window: collection works through the items a window at a time (every model's answers
 * to one window in flight together), so memory is bounded by the window, not by the dataset.
 */
export const COLLECT_WINDOW = 2048;

/**
 * Items read, hashed and served from the store together within a window: small enough that what
 * a block allocates dies before the young generation is collected twice (promoted, it would be
 * copied and later marked: at 2,048 items, 290 MB of a 100K x 2 repeat run was promoted; at 256,
 * about 100 MB).
 */
export const SERVE_BLOCK = 256;

const NONE: ReadonlySet<string> = new Set();

export async function collectAnswers(
  caller: StoreCaller,
  items: DatasetItems,
  models: ModelId[],
  render: (item: Item) => ChatRequest,
  scorer: AnyScorer,
  progress: Progress,
  /** Progress of the judge's calls (judge scorers only). */
  judgeProgress?: Progress,
  beforeCosting?: BeforeCosting,
  /** Shown every item once, as its window is read: work that needs the items rides this pass (the split). */
  visit?: (item: Item, i: number) => void,
): Promise<AnswerMatrix> {
  const n = items.length;
  const matrix: AnswerMatrix = {
    models,
    items,
    request: (i) => render(items.at(i)!),
    answers: models.map(() => new ResultColumns(n)),
    score: models.map(() => new Float64Array(n)),
    cost: models.map(() => new Float64Array(n)),
    latency: models.map(() => new Float64Array(n)),
    error: models.map(() => new Uint8Array(n)),
    hash: models.map(() => new HashColumns(n)),
  };
  const exact: ExactScorer | null = scorer.kind === "exact" ? scorer : null;
  // A judge reads every item, answer and request together: it keeps them (judged runs are small and paid).
  const all = exact ? null : items.slice(0, n);
  const kept = all ? { answers: models.map(() => new Array<Answer>(n)), requests: all.map(render) } : null;
  progress.start(n * models.length);
  // Offline answers are committed a block at a time (StoreCaller.hold), not per window; a failure
  // commits what is held before it is thrown, so a failed run keeps what it collected.
  try {
    const put = (k: number, i: number, a: Answer, item: Item) => {
      const r = "record" in a ? a.record : a.missing;
      progress.tick("record" in a && a.cached);
      const text = "record" in a ? a.record.output : a.missing.text;
      // An item whose answer is an error scores 0 and stays in the denominator (docs/metrics.md#item-scores).
      if (exact) matrix.score[k]![i] = r.error ? 0 : exact(text, item).score;
      matrix.answers[k]!.set(i, r);
      matrix.latency[k]![i] = r.latencyMs;
      matrix.error[k]![i] = r.error ? 1 : 0;
      matrix.hash[k]!.set(i, "record" in a ? a.record.hash : a.missing.requestHash);
      if (kept) kept.answers[k]![i] = a;
    };
    // Models whose absent answers are confirmed by hash before they are collected (prefetchOfItems).
    const confirmed = models.flatMap((model, k) => (caller.resolve(model).provider.offline ? [] : [k]));
    for (let from = 0; from < n; from += COLLECT_WINDOW) {
      const to = Math.min(n, from + COLLECT_WINDOW);
      // Requests the store did not answer, per model: collected together once the window is read.
      const unserved = models.map(() => ({
        at: [] as number[],
        items: [] as Item[],
        requests: [] as ChatRequest[],
        hashes: [] as string[],
      }));
      // Read, hashed and served a block at a time: what the store answers is used as soon as it is
      // read, so a repeat run holds one block's items and answers, not a window's (objects that
      // die young cost the young generation nothing; held across collections, they are copied).
      for (let at = from; at < to; at += SERVE_BLOCK) {
        const end = Math.min(to, at + SERVE_BLOCK);
        const blockItems = all ? all.slice(at, end) : items.slice(at, end);
        if (visit) for (let j = 0; j < blockItems.length; j++) visit(blockItems[j]!, at + j);
        const requests = kept ? kept.requests.slice(at, end) : blockItems.map(render);
        // Each request is hashed once: for the block's batched read, then for its own call. An
        // item's request is written out once for all models (only the snapshot differs).
        const byItem = requests.map((request, j) => caller.hashesOf(blockItems[j]!, models, request));
        const confirm = confirmed.length ? new Set(byItem.flatMap((h) => confirmed.map((k) => h[k]!))) : NONE;
        caller.prefetchOfItems(
          blockItems.map((item) => item.id),
          byItem.flat(),
          confirm,
        );
        models.forEach((model, k) => {
          const left = unserved[k]!;
          for (let j = 0; j < requests.length; j++) {
            const hash = byItem[j]![k]!;
            const now = caller.servedNow(model, hash);
            if (now) put(k, at + j, now, blockItems[j]!);
            else {
              left.at.push(at + j);
              left.items.push(blockItems[j]!);
              left.requests.push(requests[j]!);
              left.hashes.push(hash);
            }
          }
        });
      }
      // The rest wait on a call (a promise each; a repeat run's window takes none). Hosted models'
      // calls go out together, the window's for every model; an offline provider's (replay, sim:
      // no network to wait on) are made a block at a time meanwhile, each block's answers read in
      // one go, so their calls' promises die young too.
      const calls: Promise<void>[] = [];
      const offline: number[] = [];
      const ask = (k: number, from: number, to: number): Promise<void>[] => {
        const left = unserved[k]!;
        const model = models[k]!;
        caller.readAhead(model, left.items.slice(from, to), left.hashes.slice(from, to));
        const asked: Promise<void>[] = [];
        for (let j = from; j < to; j++) {
          const item = left.items[j]!;
          const i = left.at[j]!;
          asked.push(
            caller
              .answer(item, model, left.requests[j]!, {}, undefined, left.hashes[j])
              .then((a) => put(k, i, a, item)),
          );
        }
        return asked;
      };
      models.forEach((model, k) => {
        const waiting = unserved[k]!.at.length;
        if (waiting === 0) return;
        if (caller.resolve(model).provider.offline) offline.push(k);
        else calls.push(...ask(k, 0, waiting));
      });
      // Handled from now on: a hosted call failing while offline blocks are asked is no unhandled rejection.
      const hosted = Promise.allSettled(calls);
      try {
        for (const k of offline)
          for (let j = 0; j < unserved[k]!.at.length; j += SERVE_BLOCK)
            await Promise.all(ask(k, j, Math.min(unserved[k]!.at.length, j + SERVE_BLOCK)));
      } finally {
        // Hosted calls already made are waited for whatever ended the offline ones (their answers are paid for).
        await hosted;
      }
      await Promise.all(calls);
      caller.forgetPrefetched();
    }
  } catch (err) {
    // A failed collection commits what it holds before failing. One that ends well leaves the
    // last offline answers held: the caller's owner commits them (runEval: when the run ends).
    caller.flush();
    throw err;
  }
  progress.stop();
  beforeCosting?.(matrix.answers);
  // Priced once every answer is in (BeforeCosting), from the kept usage, by the one cost rule.
  models.forEach((model, k) => {
    const resolved = caller.resolve(model);
    const answers = matrix.answers[k]!;
    const cost = matrix.cost[k]!;
    for (let i = 0; i < n; i++) cost[i] = priceOf(answers.billable(i), resolved);
  });
  if (kept && all && scorer.kind === "judge") {
    const judged = await scorer.run({
      caller: judgeCaller(caller),
      items: all,
      models,
      results: kept.answers.map((row) => row.map((a) => caller.price(a))),
      requests: kept.requests,
      ...(judgeProgress ? { progress: judgeProgress } : {}),
    });
    matrix.judge = judged;
    models.forEach((_, k) => {
      const score = judged.score[k]!;
      for (let i = 0; i < n; i++) if (matrix.error[k]![i]) score[i] = 0;
      matrix.score[k] = score;
    });
  }
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
