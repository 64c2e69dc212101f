import type { StoreCaller } from "../../collect/store-caller.ts";
import { canonicalModelId } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type { CallResult, ChatRequest, Item, ModelId } from "../../core/types.ts";
import { type AnyRouter, type RouterContext, scoreNowOf } from "../../routing/router.ts";
import { type AnswerMatrix, COLLECT_WINDOW, SERVE_BLOCK } from "./answer-matrix.ts";
import { asRouterFailure, RouterFailure } from "./router-failure.ts";

/**
 * One call a router's score step made, placed on a reconstructed timeline. Only what the
 * evaluation reads of it is kept (which answer, whose, what it cost): a cascade's phase holds one
 * per item for the whole run, and the answer's text and usage were most of its size.
 */
export interface TimedCall {
  result: Pick<CallResult, "requestHash" | "model" | "costUsd">;
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
  const [phase] = await runScorePhases([router], matrix, caller);
  if (phase instanceof RouterFailure) throw phase;
  return phase!;
}

/**
 * Every router's score step (as runScorePhase) in one pass over the items: a dataset file's items
 * are read again for each pass, so the routers of a run share one. Phases come in the routers'
 * order; a router whose own code threw gets its RouterFailure instead and the others carry on.
 * Bad input and a stopped run end the pass, as they end a run.
 */
export async function runScorePhases(
  routers: readonly AnyRouter[],
  matrix: AnswerMatrix,
  caller: StoreCaller,
): Promise<Array<ScorePhase | RouterFailure>> {
  const n = matrix.items.length;
  const passes = routers.map((router) => new RouterPass(router, matrix));
  // Items go a window at a time (bounded memory). When a router was seen calling models, each
  // next window's stored answers are read in one batch; routers that never call (most) cost no reads.
  for (let from = 0; from < n; from += COLLECT_WINDOW) {
    const active = passes.filter((p) => p.reads());
    if (active.length === 0) break;
    const to = Math.min(n, from + COLLECT_WINDOW);
    if (active.some((p) => p.calls)) caller.prefetch(matrix.hash.flatMap((row) => row.slice(from, to)));
    // The window's items in one read (a dataset file's are read again, not kept), or, where every
    // router scores the item alone, a block at a time: nothing is in flight, so nothing need live longer.
    const block = active.every((p) => p.itemOnly) ? SERVE_BLOCK : to - from;
    for (let at = from; at < to; at += block) {
      const items = matrix.items.slice(at, Math.min(to, at + block));
      await Promise.all(active.filter((p) => p.reads()).map((p) => p.window(caller, at, items)));
    }
    // Offline answers routers asked for are committed a block at a time (StoreCaller.hold) and
    // when the run ends (runEval), not per window.
    caller.forgetPrefetched();
  }
  return passes.map((p) => p.result());
}

/** One router's score step, a window at a time. */
class RouterPass {
  readonly phase: ScorePhase;
  /** Whether the router was seen calling a model (its next windows' answers are read ahead). */
  calls = false;
  private failure: RouterFailure | undefined;
  private readonly models: RouterModels;
  private readonly scoresNothing: boolean;

  constructor(
    private readonly router: AnyRouter,
    private readonly matrix: AnswerMatrix,
  ) {
    const n = matrix.items.length;
    this.scoresNothing = nullScorers.has(router);
    this.phase = this.scoresNothing
      ? { scores: new Array(n).fill(null), ...noCallColumns(matrix) }
      : {
          scores: new Array(n),
          itemId: (i) => matrix.items.at(i)!.id,
          calls: new Array(n),
          cost: new Float64Array(n),
          latency: new Float64Array(n),
        };
    this.models = routerModels(router, matrix.models);
  }

  /** Whether the router's score step reads the item alone (itemOnlyScore): scored synchronously. */
  get itemOnly(): boolean {
    return scoreNowOf(this.router.score) !== undefined;
  }

  /** Whether the pass still reads items (not a router that scores nothing, not one that failed). */
  reads(): boolean {
    return !this.scoresNothing && this.failure === undefined;
  }

  async window(caller: StoreCaller, from: number, items: readonly Item[]): Promise<void> {
    const scoreNow = scoreNowOf(this.router.score);
    if (scoreNow) {
      this.windowNow(scoreNow, from, items);
      return;
    }
    const pending: Promise<void>[] = [];
    for (let j = 0; j < items.length; j++)
      pending.push(scoreItem(this.router, this.matrix, caller, this.models, this.phase, from + j, items[j]!));
    try {
      await Promise.all(pending);
    } catch (err) {
      if (!(err instanceof RouterFailure)) throw err;
      this.failure = err;
      return;
    }
    for (let j = 0; j < items.length && !this.calls; j++) this.calls = this.phase.calls[from + j]!.length > 0;
  }

  /** A window scored by the score step's synchronous form (itemOnlyScore): no context, call or promise per item. */
  private windowNow(scoreNow: (item: Item) => unknown, from: number, items: readonly Item[]): void {
    const { scores, calls } = this.phase;
    for (let j = 0; j < items.length; j++) {
      const item = items[j]!;
      try {
        scores[from + j] = scoreNow(item);
      } catch (err) {
        const failure = asRouterFailure(this.router.id, "score", item.id, err);
        if (!(failure instanceof RouterFailure)) throw failure;
        this.failure = failure;
        return;
      }
      calls[from + j] = NO_CALLS;
    }
  }

  result(): ScorePhase | RouterFailure {
    if (this.failure) return this.failure;
    // A router that called nothing (most) keeps no columns of its own: every such phase of the
    // matrix shares one set (no calls, zero cost and latency), read-only like every phase's.
    if (this.scoresNothing || !this.calls) {
      Object.assign(this.phase, noCallColumns(this.matrix));
      callingNothing.add(this.phase);
    }
    return this.phase;
  }
}

/** How a router's code names models: candidates and listed embedders, bad input otherwise. */
function routerModels(router: AnyRouter, candidates: readonly ModelId[]): RouterModels {
  const embedders = router.embedders ?? [];
  return {
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
  // Made at the first call: most routers call nothing.
  let timeline: TimedCall[] | null = null;
  let settledEnd = 0;
  const timed = async <R extends CallResult>(send: () => Promise<R>): Promise<R> => {
    const startMs = settledEnd;
    const result = await send();
    const endMs = startMs + result.latencyMs;
    timeline ??= [];
    timeline.push({
      result: { requestHash: result.requestHash, model: result.model, costUsd: result.costUsd },
      startMs,
      endMs,
    });
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
  // (TypeScript cannot see the calls' closure assign it.)
  const made = timeline as TimedCall[] | null;
  phase.calls[i] = made ?? NO_CALLS;
  if (!made) {
    phase.cost[i] = 0;
    phase.latency[i] = 0;
    return;
  }
  const seen = new Set<string>();
  let cost = 0;
  for (const c of made) {
    if (seen.has(c.result.requestHash)) continue;
    seen.add(c.result.requestHash);
    cost += c.result.costUsd;
  }
  phase.cost[i] = cost;
  phase.latency[i] = made.reduce((m, c) => Math.max(m, c.endMs), 0);
}
