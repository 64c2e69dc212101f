import type { ZodType } from "zod";
import type { ChatRequest, Item, ModelCaller, ModelEmbedder, ModelId } from "../core/types.ts";

/**
 * What a router's score step may use. In evaluation `call` and `embed` are answered from the
 * outcome store (collecting what is missing); in production by the providers. The router never
 * knows which. `embed` reaches only the embedding models the router lists in `embedders`.
 */
export interface RouterContext extends ModelCaller, ModelEmbedder {
  /** The request that answers this item (the eval's rendered prompt; in production, the live request). */
  readonly request: ChatRequest;
  /** Candidate model ids in the order the eval lists them. */
  readonly models: readonly ModelId[];
}

/** The outcome of `decide`: which model's answer is final. */
export interface Choice {
  model: ModelId;
  /** Optional reason for the decision log. */
  reason?: string;
  /**
   * Request hashes of the score step's calls this decision relied on; omitted means all of them.
   * A staged cascade's score step calls every stage once so that one pass serves a whole threshold
   * sweep, but a decision that stops at stage j would never have made the later stages' calls in
   * production: naming the calls it used makes the evaluation charge only those.
   */
  uses?: readonly string[];
}

/** Parameter values are data (exported configs carry them): numbers, strings, flags, weight vectors. */
export type RouterParamValue = string | number | boolean | number[];
export type RouterParams = Record<string, RouterParamValue>;

/** What a router's params schema may check against: the models of the config being loaded. */
export interface ParamsContext {
  /** Model ids the routing config (or the eval, at export) lists. */
  readonly models: readonly ModelId[];
}

/**
 * Validates a router's parameters where they arrive as data (a routing config, a committed
 * baseline). A function form sees the config's models, so a weak or strong model the config does
 * not list is refused at load rather than failing on a live request.
 */
export type ParamsSchema = ZodType | ((ctx: ParamsContext) => ZodType);

/** One calibration item as a router's `fit` sees it: its scores and what every candidate achieved. */
export interface FitExample<S> {
  item: Item;
  scores: S;
  /** Per candidate model (eval order): the answer's score in [0, 1] and its cost in USD. */
  outcomes: ReadonlyArray<{ model: ModelId; score: number; costUsd: number }>;
}

/**
 * A router has two halves (docs/architecture.md): an async `score` that may call models and is cached like any
 * outcome, and a pure `decide` that sweeps and calibration run many times over stored scores.
 */
export interface Router<S = unknown, P extends RouterParams = RouterParams> {
  readonly id: string;
  /** Default parameters; also what an exported config carries when no sweep chose others. */
  readonly params: P;
  /**
   * Parameter sets to sweep; a calibration step picks one of them on the calibration split. Each
   * is merged over the (fitted) defaults, so an entry names only what it varies.
   */
  readonly grid?: readonly Partial<P>[];
  /**
   * Optional zod schema of `params` (or a function of the config's models returning one). The
   * runtime, the gate's incumbent and `routegate export` refuse parameters it rejects, naming the
   * router, the parameter and what was expected. Routers without one are not checked.
   */
  readonly paramsSchema?: ParamsSchema;
  /**
   * Embedding models the score step calls through `ctx.embed`, as model specs
   * (`local:hashed-tfidf`, `openai:text-embedding-3-small`): resolved, priced and key-checked
   * before the run, carried by the exported config, and allowed by the runtime's allow-list.
   */
  readonly embedders?: readonly string[];
  score(item: Item, ctx: RouterContext): Promise<S>;
  decide(scores: S, params: P): Choice;
  /**
   * Optional vectorised `decide` for sweeps: writes into out[i] the index (via `indexOf`) of the
   * model `decide(scores[i], params)` chooses. It must agree with `decide` exactly and is only used
   * for decisions that charge every score-step call (no `uses`); sweeps of millions of decisions
   * then run without a call and an allocation per item.
   */
  decideBatch?(scores: readonly S[], params: P, indexOf: (model: ModelId) => number, out: Int32Array): void;
  /**
   * Optional single number, higher = more need for the strong model. Given it, two-tier curves
   * (APGR, CPT) are traced at full resolution instead of over the grid. It may read fitted params.
   */
  rank?(scores: S, params: P): number;
  /**
   * true promises that `decide(s, p)` is `rank(s, p) >= p.threshold ? p.strong : p.weak` and that
   * `rank` does not read `threshold`. A sweep over thresholds then runs in one pass over the items
   * sorted by rank instead of deciding every item at every threshold.
   */
  readonly decidesByRank?: boolean;
  /**
   * Optional training step for learned routers, run on calibration items only (docs/metrics.md
   * section 5). Returns parameters (weights included) that are merged over `params`; they must be
   * data, since exported configs carry them.
   */
  fit?(examples: ReadonlyArray<FitExample<S>>, params: P): Partial<P>;
}

export function defineRouter<S, P extends RouterParams>(router: Router<S, P>): Router<S, P> {
  if (!/^\S+$/.test(router.id)) {
    throw new Error(
      `router id "${router.id}": must be non-empty and without spaces (reports and exported configs name it)`,
    );
  }
  return router;
}

const itemOnlyScores = new WeakMap<object, (item: Item) => unknown>();

/**
 * Marks a score step that reads the item alone (no call, no embedding, no request): `now` returns
 * synchronously what `score` resolves to. An evaluation then scores a window of items in one loop,
 * without a context and a promise per item. Kept by the function, not the router: a router copied
 * with another `score` (a wrapper) is scored through its own step.
 */
export function itemOnlyScore<S>(score: (item: Item, ctx: RouterContext) => Promise<S>, now: (item: Item) => S) {
  itemOnlyScores.set(score, now);
  return score;
}

/** The synchronous form `itemOnlyScore` gave this score step, if any. */
export function scoreNowOf(score: AnyRouter["score"]): ((item: Item) => unknown) | undefined {
  return itemOnlyScores.get(score);
}

/** Expands `{a: [1, 2], b: ["x"]}` into every combination, merged over the defaults. */
export function paramGrid<P extends RouterParams>(defaults: P, axes: { [K in keyof P]?: readonly P[K][] }): P[] {
  let grid: P[] = [{ ...defaults }];
  for (const key of Object.keys(axes) as (keyof P)[]) {
    const values = axes[key] ?? [];
    grid = grid.flatMap((base) => values.map((value) => ({ ...base, [key]: value })));
  }
  return grid;
}

/** A router of any score and parameter types, for lists that mix them (an eval's routers). */
// biome-ignore lint/suspicious/noExplicitAny: decide's parameters are contravariant; a mixed list needs any
export type AnyRouter = Router<any, any>;
