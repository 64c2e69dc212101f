import type { StoreCaller } from "../../collect/store-caller.ts";
import { canonicalModelId } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type { CallResult, ChatRequest, Item, ModelId } from "../../core/types.ts";
import type { AnyRouter, RouterContext } from "../../routing/router.ts";
import { type AnswerMatrix, COLLECT_WINDOW } from "./answer-matrix.ts";
import { asRouterFailure } from "./router-failure.ts";

/** One call a router's score step made, placed on a reconstructed timeline. */
export interface TimedCall {
  result: CallResult;
  startMs: number;
  endMs: number;
}

/** What a router's score step produced for every item: its scores and the calls it paid for. */
export interface ScorePhase {
  scores: unknown[];
  /** The item id of entry i, for messages that name an item (a router's failure). */
  itemId?: (i: number) => string;
  calls: TimedCall[][];
  /** Sum of the costs of the distinct calls per item (embeddings included). */
  cost: Float64Array;
  /** End of the score step's critical path per item (parallel calls count their maximum). */
  latency: Float64Array;
}

/**
 * Runs `router.score` on every item through the store-backed caller and records every call and
 * embedding. Latency is reconstructed, not measured: a call starts when the calls it waited for
 * ended, so a cascade's stages add up and calls made together (Promise.all) count once, at their
 * maximum. A model the router names may be an id or a spec string of a candidate; a model that is
 * not a candidate (or an embedder the router does not list) is bad input, exit 2. Anything else
 * the router's code throws is that router's failure, naming the item.
 */
export async function runScorePhase(router: AnyRouter, matrix: AnswerMatrix, caller: StoreCaller): Promise<ScorePhase> {
  const n = matrix.items.length;
  if (nullScorers.has(router)) {
    const phase: ScorePhase = { scores: new Array(n).fill(null), ...noCallColumns(matrix) };
    callingNothing.add(phase);
    return phase;
  }
  const phase: ScorePhase = {
    scores: new Array(n),
    itemId: (i) => matrix.items.at(i)!.id,
    calls: new Array(n),
    cost: new Float64Array(n),
    latency: new Float64Array(n),
  };
  const candidates = matrix.models as readonly ModelId[];
  const embedders = router.embedders ?? [];
  const models: RouterModels = {
    candidate: (model) => {
      const id = canonicalModelId(model, candidates);
      if (id === undefined)
        throw new InputError(
          `router ${router.id}`,
          "ctx.call",
          `it calls "${model}", which is not a candidate model`,
          `call one of the eval's models (${candidates.join(", ")}), or add "${model}" to them`,
        );
      return id;
    },
    embedder: (model) => {
      const listed = embedders.find((e) => e === model || canonicalModelId(model, [e]) !== undefined);
      if (listed === undefined)
        throw new InputError(
          `router ${router.id}`,
          "ctx.embed",
          `it embeds with "${model}", which its \`embedders\` do not list`,
          `add "${model}" to the router's embedders (they are resolved, priced and allowed before a run)`,
        );
      return listed;
    },
  };
  // Items go a window at a time (bounded memory). A router seen calling models gets each next
  // window's stored answers read in one batch; one that never calls (most) costs no reads.
  let calls = false;
  for (let from = 0; from < n; from += COLLECT_WINDOW) {
    const to = Math.min(n, from + COLLECT_WINDOW);
    if (calls) caller.prefetch(matrix.hash.flatMap((row) => row.slice(from, to)));
    // The window's items in one read (a dataset file's are read again, not kept).
    const items = matrix.items.slice(from, to);
    const pending: Promise<void>[] = [];
    for (let i = from; i < to; i++) pending.push(scoreItem(router, matrix, caller, models, phase, i, items[i - from]!));
    await Promise.all(pending);
    for (let i = from; i < to && !calls; i++) calls = phase.calls[i]!.length > 0;
    // Offline answers routers asked for are committed a block at a time (StoreCaller.hold) and
    // when the phase ends (runEval's settling), not per window.
    caller.forgetPrefetched();
  }
  if (!calls) {
    // A router that called nothing (most) keeps no columns of its own: every such phase of the
    // matrix shares one set (no calls, zero cost and latency), read-only like every phase's.
    Object.assign(phase, noCallColumns(matrix));
    callingNothing.add(phase);
  }
  return phase;
}

const NO_CALLS: TimedCall[] = Object.freeze([]) as unknown as TimedCall[];

type NoCallColumns = Pick<ScorePhase, "calls" | "cost" | "latency">;
const noCalls = new WeakMap<AnswerMatrix, NoCallColumns>();
const callingNothing = new WeakSet<ScorePhase>();

function noCallColumns(matrix: AnswerMatrix): NoCallColumns {
  let columns = noCalls.get(matrix);
  if (!columns) {
    const n = matrix.items.length;
    const zeros = new Float64Array(n);
    columns = { calls: new Array<TimedCall[]>(n).fill(NO_CALLS), cost: zeros, latency: zeros };
    noCalls.set(matrix, columns);
  }
  return columns;
}

const nullScorers = new WeakSet<AnyRouter>();

/**
 * Marks a router whose score step is known to return null and call nothing on every item (the
 * single-model baselines the evaluation builds itself): its phase is made without reading any
 * item, which for a dataset file is a pass over the file saved.
 */
export function scoresNothing<R extends AnyRouter>(router: R): R {
  nullScorers.add(router);
  return router;
}

/** Whether the phase's router called nothing on any item (its columns are the shared ones). */
export function calledNothing(phase: ScorePhase): boolean {
  return callingNothing.has(phase);
}

/** The candidate or listed embedder a model named by a router's code stands for (bad input otherwise). */
interface RouterModels {
  candidate: (model: ModelId) => ModelId;
  embedder: (model: ModelId) => ModelId;
}

async function scoreItem(
  router: AnyRouter,
  matrix: AnswerMatrix,
  caller: StoreCaller,
  models: RouterModels,
  phase: ScorePhase,
  i: number,
  item: Item,
): Promise<void> {
  const timeline: TimedCall[] = [];
  let settledEnd = 0;
  const timed = async <R extends CallResult>(send: () => Promise<R>): Promise<R> => {
    const startMs = settledEnd;
    const result = await send();
    const endMs = startMs + result.latencyMs;
    timeline.push({ result, startMs, endMs });
    settledEnd = Math.max(settledEnd, endMs);
    return result;
  };
  let request: ChatRequest | undefined;
  const ctx: RouterContext = {
    // Rendered when read: most routers look at the item alone.
    get request() {
      request ??= matrix.request(i);
      return request;
    },
    models: matrix.models as readonly ModelId[],
    call: (model, request, opts) =>
      timed(() => {
        const id = models.candidate(model);
        // The answer collection got for this item, if that is what is asked: not a store hit again.
        const answered = matrix.hash[matrix.models.indexOf(id)]?.get(i);
        return caller.call(item, id, request, opts, answered);
      }),
    embed: (model, request, opts) => timed(() => caller.embed(item, models.embedder(model), request, opts)),
  };
  let scores: unknown;
  try {
    scores = await router.score(item, ctx);
  } catch (err) {
    throw asRouterFailure(router.id, "score", item.id, err);
  }
  phase.scores[i] = scores;
  // Most routers call nothing: one shared empty timeline, not an array per item and router.
  phase.calls[i] = timeline.length ? timeline : NO_CALLS;
  const seen = new Set<string>();
  let cost = 0;
  for (const c of timeline) {
    if (seen.has(c.result.requestHash)) continue;
    seen.add(c.result.requestHash);
    cost += c.result.costUsd;
  }
  phase.cost[i] = cost;
  phase.latency[i] = timeline.reduce((m, c) => Math.max(m, c.endMs), 0);
}
