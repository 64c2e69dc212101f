import { canonicalModelId } from "../contracts/model-spec.ts";
import { embedRequestHash, requestHash, requestHashes } from "../core/request-hash.ts";
import type {
  CallOptions,
  CallResult,
  ChatRequest,
  EmbedRequest,
  EmbedResult,
  EvaluationCallContext,
  Expected,
  Item,
  ModelCaller,
  ModelId,
  ProviderResult,
  RequestIdentity,
} from "../core/types.ts";
import { MissingOutcomeError, ProviderError, ProviderErrorCode } from "../providers/provider-error.ts";
import type { SecretScrubber } from "../providers/scrub/secret-scrubber.ts";
import type { OutcomeRecord, OutcomeStore, ServedOutcome } from "../store/outcome-store.ts";
import type { CallGuard } from "./call-guard.ts";
import { identityOf, toCallResult, withoutTransportHints, ZERO_USAGE } from "./call-result.ts";
import type { CallStats } from "./call-stats.ts";
import { decodeVector, encodeVector } from "./embedding-codec.ts";
import type { RequestClaims } from "./request-claims.ts";
import type { ResolvedModel } from "./resolved-model.ts";
import { scrubRecord, servedHoldsSecret } from "./scrub-record.ts";
import { collectAgain } from "./stored-failure.ts";

/** One provider call of a request already chosen (a completion or an embedding), in a lane slot held. */
type Send = (ctx: EvaluationCallContext) => Promise<ProviderResult>;
/** Runs work in a lane slot of the request's model (CallGuard.inSlot or inEmbedSlot). */
type InSlot = <T>(work: (send: Send) => Promise<T>) => Promise<T>;
/**
 * Offline answers (replay, sim: nobody paid for them, collecting them again costs nothing) are
 * committed in blocks: at most this many held, so memory is bounded by the block (and the one
 * before it, in the store's writer thread's buffer until its commit). Fewer, bigger transactions
 * rewrite each page of the random-keyed hash index fewer times (a first run of 100K items x 2
 * wrote its store several times over in per-window commits).
 */
export const OFFLINE_BLOCK_ROWS = 32_768;
/**
 * ...and held no longer than this after the first of a block before it is handed to the writer
 * thread: a killed run loses at most this much (and the block the thread is committing).
 */
export const OFFLINE_BLOCK_MS = 1000;

export interface StoreCallerOptions {
  store: OutcomeStore;
  models: ReadonlyMap<ModelId, ResolvedModel>;
  /** Concurrency, rate limits, retries, timeouts and the budget for every provider call. */
  guard: CallGuard;
  stats: CallStats;
  /** When true, a request the store cannot answer is never sent to a networked provider. */
  offline: boolean;
  /** The dataset's distinct expected values, for the sim; computed when a provider first reads them. */
  answerSpace?: () => readonly Expected[];
  /** The run's keys: removed from every outcome stored or read back (providers/scrub). */
  scrubber?: SecretScrubber;
  /** Collect every stored failure again (`--retry-failed`), not only those likely to pass now. */
  retryFailed?: boolean;
  /**
   * Claims on requests in flight, shared with other processes using the same store: a request
   * another run is paying for is waited for, not paid again. Absent: no coordination.
   */
  claims?: RequestClaims;
  /** How big a block of offline answers may grow and how long it may wait (tests shrink them). */
  offlineBlock?: { rows: number; ms: number };
}

/**
 * An outcome the caller found or collected, not yet priced: a stored record (and whether it came
 * from the store), or a request an offline run could not answer.
 */
export type Answer =
  | { record: ServedOutcome; resolved: ResolvedModel; cached: boolean }
  | { missing: CallResult; resolved: ResolvedModel };

/**
 * The evaluation-side caller: answers from the outcome store, collects what is missing from the
 * provider (storing it before returning, so a killed run keeps every finished call), and prices
 * every result from its usage and the model's price at the time it is read (`price`), so a model
 * priced from the run's own answers (GPU-hours at measured throughput) is priced before any of its
 * results is costed.
 */
export class StoreCaller {
  private readonly inFlight = new Map<string, Promise<Answer>>();
  /** Hashes this run stored through a provider batch: provider calls of this run, not store hits. */
  private readonly batched = new Set<string>();
  /** Stored outcomes read ahead by `prefetch`, each used once. */
  private readonly prefetched = new Map<string, ServedOutcome>();
  /** Set once the items' rows were seen to be mostly other outcomes: prefetchOfItems reads by hash. */
  private readsByHash = false;
  /** Hashes `prefetch` asked for and the store did not hold: no second lookup each (a first run's every call). */
  private readonly prefetchedAbsent = new Set<string>();
  /** Requests routers and judges were answered in this run (see `shared`). */
  private readonly answeredHere = new Set<string>();
  /**
   * Answers of offline providers (replay, sim) not yet written: nobody paid for them, so they are
   * written a block at a time in one transaction (`flush`), not one commit each.
   */
  private unwritten = new Map<string, OutcomeRecord>();
  /**
   * The block handed to the store's writer thread (putManyBehind) and not yet known committed:
   * its answers are read with `store.behind` meanwhile, as the table may not hold them yet. One
   * at a time: the next block waits for this one's commit.
   */
  private writing: number | undefined;
  /** Commits the held block OFFLINE_BLOCK_MS after its first answer, if it has not filled by then. */
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: StoreCallerOptions) {}

  /** Marks an outcome the batch collector just stored (collect/batch-collector.ts). */
  noteBatched(hash: string): void {
    this.batched.add(hash);
  }

  /** A ModelCaller bound to one item, as routers and judges see it. */
  forItem(item: Item): ModelCaller {
    return { call: (model, request, callOpts) => this.call(item, model, request, callOpts) };
  }

  /** The model a reference names: its id, or a spec string of it (`replay:m@file.jsonl` for `replay:m`). */
  resolve(model: ModelId): ResolvedModel {
    const id = this.opts.models.has(model) ? model : canonicalModelId(model, [...this.opts.models.keys()]);
    const resolved = id === undefined ? undefined : this.opts.models.get(id);
    if (!resolved) {
      throw new ProviderError(
        `model "${model}" is not a candidate of this eval (known: ${[...this.opts.models.keys()].join(", ")})`,
        ProviderErrorCode.BadRequest,
        false,
      );
    }
    return resolved;
  }

  hashOf(item: Item, model: ModelId, request: ChatRequest, callOpts: CallOptions = {}): string {
    return requestHash(this.resolve(model).snapshot, request, identityOf(item, callOpts));
  }

  /** hashOf the item's request for each of `models` (in their order), its canonical form written once. */
  hashesOf(item: Item, models: readonly ModelId[], request: ChatRequest): string[] {
    const snapshots = models.map((model) => this.resolve(model).snapshot);
    return requestHashes(snapshots, request, identityOf(item, {}));
  }

  /**
   * A router's or a judge's call, priced. `answered`: the hash of the answer this run collected for
   * the item and model, so asking for it again is not counted as a store hit.
   */
  call(
    item: Item,
    model: ModelId,
    request: ChatRequest,
    callOpts: CallOptions = {},
    answered?: string,
  ): Promise<CallResult> {
    return this.answer(item, model, request, callOpts, answered ?? null).then((answer) => this.price(answer));
  }

  /**
   * The outcome of a request, from the store or collected now, before it is priced. `answered`
   * (router and judge calls; undefined for collection): see `call`.
   */
  answer(
    item: Item,
    model: ModelId,
    request: ChatRequest,
    callOpts: CallOptions = {},
    answered?: string | null,
    /** The request's hash when the caller already computed it (collection hashes a window to prefetch it). */
    knownHash?: string,
  ): Promise<Answer> {
    const resolved = this.resolve(model);
    const identity = identityOf(item, callOpts);
    const hash = knownHash ?? requestHash(resolved.snapshot, request, identity);
    this.opts.stats.requests++;
    return this.shared(hash, answered, () => {
      const { guard } = this.opts;
      const inSlot: InSlot = (work) => guard.inSlot(resolved, (call) => work((ctx) => call(request, ctx)));
      const again = hash === answered || this.answeredHere.has(hash);
      return this.find(item, resolved, withoutTransportHints(request), identity, hash, callOpts.signal, inSlot, again);
    });
  }

  /**
   * ctx.embed: an embedding, stored, priced and charged like a call (role "embed"), keyed by the
   * same request identity; the vector is stored as base64 float32 in the outcome's output.
   */
  embed(item: Item, model: ModelId, request: EmbedRequest, callOpts: CallOptions = {}): Promise<EmbedResult> {
    const resolved = this.resolve(model);
    const identity = identityOf(item, { ...callOpts, role: "embed" });
    const hash = embedRequestHash(resolved.snapshot, request, identity);
    this.opts.stats.requests++;
    const pending = this.shared(hash, null, () => {
      const { guard } = this.opts;
      const inSlot: InSlot = (work) => guard.inEmbedSlot(resolved, (call) => work((ctx) => call(request, ctx)));
      const again = this.answeredHere.has(hash);
      return this.find(item, resolved, request, identity, hash, callOpts.signal, inSlot, again);
    });
    return pending.then((answer) => {
      const result = this.price(answer);
      return { ...result, text: "", vector: decodeVector(result.text) };
    });
  }

  /**
   * The request's answer in flight, or a new one: two routers asking for the same outcome at once
   * share one provider call. Settled calls leave the map: it holds what is in flight, not every
   * answer of the run. What routers and judges were answered (`answered` not null) is remembered
   * by hash, so asking again later in the run reads the store without counting a store hit, as
   * sharing the call would have; collection's answers need no such memory (their hashes are the
   * matrix's, passed back as `answered`).
   */
  private shared(hash: string, answered: string | null | undefined, start: () => Promise<Answer>): Promise<Answer> {
    const inFlight = this.inFlight.get(hash);
    if (inFlight) return inFlight;
    const pending = start();
    this.inFlight.set(hash, pending);
    const forget = () => {
      if (this.inFlight.get(hash) === pending) this.inFlight.delete(hash);
    };
    pending.then((a) => {
      forget();
      if (answered !== undefined && hash !== answered && "record" in a) this.answeredHere.add(hash);
    }, forget);
    return pending;
  }

  /**
   * Reads the stored outcomes of many requests at once (a window of items): the calls that follow
   * are answered from memory instead of one store lookup each. Hashes not stored are simply absent.
   */
  prefetch(hashes: readonly string[]): void {
    const wanted = this.unread(hashes);
    const found = this.opts.store.getMany(wanted);
    for (const [hash, record] of found) this.prefetched.set(hash, record);
    for (const hash of wanted) if (!found.has(hash)) this.prefetchedAbsent.add(hash);
  }

  /**
   * `prefetch`, reading the store by the items' ids (OutcomeStore.getManyOfItems: their rows side
   * by side) instead of by each hash. A hash not found so is not stored; absences among `confirm`
   * (hashes of models that are paid for, or that an offline run may not call) are confirmed by
   * hash all the same, so a wrong absence can never cost a payment. Where the items' rows are
   * mostly other outcomes (other models, samples, older prompts), the rest of the run reads by hash.
   */
  prefetchOfItems(itemIds: readonly string[], hashes: readonly string[], confirm: ReadonlySet<string>): void {
    if (this.readsByHash) {
      this.prefetch(hashes);
      return;
    }
    const wanted = this.unread(hashes);
    if (wanted.length === 0) return;
    const { found, rows } = this.opts.store.getManyOfItems(itemIds, wanted);
    if (rows > 2 * hashes.length) this.readsByHash = true;
    const unsure = confirm.size ? wanted.filter((h) => !found.has(h) && confirm.has(h)) : [];
    const confirmed = unsure.length ? this.opts.store.getMany(unsure) : null;
    for (const [hash, record] of found) this.prefetched.set(hash, record);
    if (confirmed) for (const [hash, record] of confirmed) this.prefetched.set(hash, record);
    for (const hash of wanted) if (!found.has(hash) && !confirmed?.has(hash)) this.prefetchedAbsent.add(hash);
  }

  /** Hashes a read must ask the store for: not read ahead already, not held or being written here. */
  private unread(hashes: readonly string[]): string[] {
    return hashes.filter((h) => !this.prefetched.has(h) && !this.unwritten.has(h) && !this.isBehind(h));
  }

  /**
   * The answer to an item's request served from what `prefetch` read, at once and without a
   * promise (a repeat run serves every answer so); undefined when the request needs `answer`: not
   * read ahead, a call for it in flight, a batch result, or a stored failure to collect again.
   * What it counts and serves is what `answer` would for the same request.
   */
  servedNow(model: ModelId, hash: string): Answer | undefined {
    const ahead = this.prefetched.get(hash);
    if (!ahead || this.inFlight.has(hash) || this.batched.has(hash)) return undefined;
    const resolved = this.resolve(model);
    const mayCall = !this.opts.offline || resolved.provider.offline;
    const again = this.answeredHere.has(hash);
    if (!again && mayCall && this.collectsAgain(ahead)) return undefined;
    this.opts.stats.requests++;
    const stored = this.read(hash)!;
    return this.serve(stored, resolved, true, !again);
  }

  /**
   * After `prefetch`: tells `model`'s provider which of these requests (items' answers, by hash)
   * the store did not hold, so an offline one reads their answers in one go (Provider.readAhead).
   */
  readAhead(model: ModelId, items: readonly Item[], hashes: readonly string[]): void {
    const resolved = this.resolve(model);
    if (!resolved.provider.readAhead) return;
    const wanted: RequestIdentity[] = [];
    items.forEach((item, j) => {
      if (this.prefetchedAbsent.has(hashes[j]!)) wanted.push(identityOf(item, {}));
    });
    if (wanted.length > 0) resolved.provider.readAhead(resolved.spec, wanted);
  }

  /** Drops what `prefetch` read and no call used (a window is done). */
  forgetPrefetched(): void {
    this.prefetched.clear();
    this.prefetchedAbsent.clear();
  }

  /**
   * Commits the offline providers' answers held now: when a run ends and when it stops or
   * fails (`settled`). It returns once the block handed to the writer thread is committed too; the
   * rest is written here, in one transaction (the writer would take as long, with this thread
   * waiting). A failed commit throws and its answers stay held for the next flush.
   */
  flush(): void {
    this.stopTimer();
    this.settleWriting();
    if (this.unwritten.size === 0) return;
    this.opts.store.putMany([...this.unwritten.values()]);
    this.unwritten.clear();
  }

  /**
   * Hands the held block to the store's writer thread (written inline when small), once the block
   * before it is committed: by `hold`, when the block is full or due.
   */
  private handOver(): void {
    this.stopTimer();
    this.settleWriting();
    if (this.unwritten.size === 0) return;
    const ticket = this.opts.store.putManyBehind([...this.unwritten.values()]);
    // Let go here: the store reads them back while they are written (a second block in memory would cost as much again).
    this.unwritten = new Map();
    this.writing = ticket;
  }

  /** Waits for the block handed over to be committed; if it failed, it is held again (before newer answers). */
  private settleWriting(): void {
    const ticket = this.writing;
    if (ticket === undefined) return;
    this.writing = undefined;
    this.opts.store.written(ticket, (records) => {
      const again = new Map(records.map((r) => [r.hash, r]));
      for (const [hash, record] of this.unwritten) again.set(hash, record);
      this.unwritten = again;
    });
  }

  /** Whether the hash is in the block handed to the writer thread, not yet known committed. */
  private isBehind(hash: string): boolean {
    return this.writing !== undefined && this.opts.store.holdsBehind(hash);
  }

  private stopTimer(): void {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
  }

  /** Whether a stored outcome is collected again rather than served (stored-failure.ts). */
  collectsAgain(stored: ServedOutcome): boolean {
    return collectAgain(stored, this.opts.retryFailed ?? false);
  }

  /** An answer as routers and judges see it: priced now, from its usage and the model's price. */
  price(answer: Answer): CallResult {
    if ("missing" in answer) return answer.missing;
    return toCallResult(answer.record, answer.resolved, answer.cached);
  }

  private async find(
    item: Item,
    resolved: ResolvedModel,
    request: OutcomeRecord["request"],
    identity: RequestIdentity,
    hash: string,
    signal: AbortSignal | undefined,
    inSlot: InSlot,
    /** This run already answered the request: what is stored is its answer, not a store hit (even a failure). */
    again = false,
  ): Promise<Answer> {
    const { provider } = resolved;
    const mayCall = !this.opts.offline || provider.offline;
    const stored = this.read(hash);
    // A batch failure of this run is kept as it is: it is retried by a later run, not synchronously now.
    const batched = this.batched.delete(hash);
    if (stored && (batched || again || !mayCall || !this.collectsAgain(stored))) {
      if (batched) this.opts.stats.providerCalls++;
      return this.serve(stored, resolved, !batched, !batched && !again);
    }
    if (!mayCall) return this.missing(resolved, identity, hash);

    const { claims } = this.opts;
    if (!claims || provider.offline) {
      return inSlot((send) => this.pay(send, item, resolved, request, identity, hash, signal, stored));
    }
    return inSlot(async (send) => {
      // Served: what another process stored since `stored` was read (a new answer, or its own retry's failure).
      const fresh = (r: ServedOutcome) => !this.collectsAgain(r) || r.createdAt !== stored?.createdAt;
      const got = await claims.acquire(hash, () => this.read(hash), fresh, signal);
      if ("answer" in got) return this.serve(got.answer, resolved, true);
      try {
        return await this.pay(send, item, resolved, request, identity, hash, signal, stored);
      } finally {
        got.claim.release();
      }
    });
  }

  /** Calls the provider, stores the outcome (one transaction per paid answer) and returns it. */
  private async pay(
    send: Send,
    item: Item,
    resolved: ResolvedModel,
    request: OutcomeRecord["request"],
    identity: RequestIdentity,
    hash: string,
    signal: AbortSignal | undefined,
    stored: ServedOutcome | undefined,
  ): Promise<Answer> {
    const record = await this.collect(send, item, resolved, request, identity, hash, signal, stored);
    if (!record) return this.missing(resolved, identity, hash);
    if (record.error) this.failed(record);
    this.used(record);
    // Stored before the claim is let go, so a process waiting for it finds it. A paid answer is
    // committed on its own; an offline one joins the next block's transaction.
    if (resolved.provider.offline) this.hold(record);
    else this.opts.store.put(record);
    this.opts.stats.providerCalls++;
    return { record, resolved, cached: false };
  }

  private serve(stored: ServedOutcome, resolved: ResolvedModel, fromStore: boolean, counted = fromStore): Answer {
    if (counted) this.opts.stats.fromStore++;
    if (stored.error) this.failed(stored);
    this.used(stored);
    return { record: stored, resolved, cached: fromStore };
  }

  /** One provider call under the guard, as the record to store (scrubbed); undefined: no outcome exists. */
  private async collect(
    send: Send,
    item: Item,
    resolved: ResolvedModel,
    request: OutcomeRecord["request"],
    identity: RequestIdentity,
    hash: string,
    signal: AbortSignal | undefined,
    stored: ServedOutcome | undefined,
  ): Promise<OutcomeRecord | undefined> {
    const { spec } = resolved;
    const started = Date.now();
    const createdAt = new Date(started).toISOString();
    const tries = stored ? (stored.tries ?? 1) + 1 : 1;
    try {
      // The sim alone reads the answer space (EvaluationCallContext): a pass over every item to build.
      const answerSpace = resolved.provider.id === "sim" ? this.opts.answerSpace?.() : undefined;
      const ctx: EvaluationCallContext = { identity, item, answerSpace };
      if (signal) ctx.signal = signal;
      const result = await send(ctx);
      // Every field written out, no spread of shared fields: V8 builds an object literal that
      // starts with a spread and goes on with a dozen fields some 50 times slower (about 40 us
      // each, 4 s of a 100K x 2 first run), and leaves it slower to read.
      return this.scrub({
        hash,
        modelId: spec.id,
        identity,
        request,
        createdAt,
        tries,
        snapshot: result.snapshot ?? resolved.snapshot,
        // An embedding's vector is its output: stored as text like any answer.
        output: "vector" in result ? encodeVector(result.vector as Float32Array) : result.text,
        usage: result.usage,
        rawUsage: result.rawUsage ?? null,
        usageEstimated: result.usageEstimated ?? false,
        recordedCostUsd: result.recordedCostUsd ?? null,
        latencyMs: result.latencyMs,
        error: null,
        errorCode: null,
        logprobs: result.logprobs ?? null,
        serviceTier: result.serviceTier ?? null,
        redacted: result.redacted ?? false,
      });
    } catch (err) {
      if (err instanceof MissingOutcomeError) return undefined;
      if (!(err instanceof ProviderError)) throw err;
      // A failed outcome is stored with its error: the report shows it and the item scores 0.
      return this.scrub({
        hash,
        modelId: spec.id,
        identity,
        request,
        createdAt,
        tries,
        snapshot: resolved.snapshot,
        output: "",
        usage: null,
        usageEstimated: false,
        recordedCostUsd: null,
        latencyMs: Date.now() - started,
        error: err.message,
        errorCode: err.code,
        logprobs: null,
        serviceTier: null,
        redacted: err.redacted,
      });
    }
  }

  /**
   * Resolves once every call started so far has settled, including calls started meanwhile: a run
   * that stops (a budget reached) lets its calls in flight finish and be stored before it exits.
   */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
    this.flush();
  }

  /** Holds an offline answer for the block's transaction: handed to the writer when the block is full or due. */
  private hold(record: OutcomeRecord): void {
    this.unwritten.set(record.hash, record);
    const block = this.opts.offlineBlock ?? { rows: OFFLINE_BLOCK_ROWS, ms: OFFLINE_BLOCK_MS };
    if (this.unwritten.size >= block.rows) this.handOver();
    else if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        // A failed commit keeps the block held: the next flush (the run's end) raises the error.
        try {
          this.handOver();
        } catch {}
      }, block.ms);
      // Never what keeps a process alive: every way out of a run flushes first.
      this.flushTimer.unref();
    }
  }

  /**
   * A stored outcome, scrubbed; one whose answer still held a key (an older routegate stored it)
   * is rewritten clean, request included (read whole again for that: a served read leaves the
   * request out).
   */
  private read(hash: string): ServedOutcome | undefined {
    const ahead = this.prefetched.get(hash);
    if (ahead) this.prefetched.delete(hash);
    // Read ahead and absent: not asked again (a first run would look up every request twice). One
    // shot: a later read of the hash (a claim's wait for another process) asks the store.
    const absent = this.prefetchedAbsent.delete(hash);
    const held = this.unwritten.get(hash) ?? (this.writing === undefined ? undefined : this.opts.store.behind(hash));
    const stored = held ?? ahead ?? (absent ? undefined : this.opts.store.get(hash));
    if (!stored) return undefined;
    const { scrubber } = this.opts;
    if (!scrubber || !servedHoldsSecret(stored, scrubber)) return stored;
    const whole = "request" in stored ? (stored as OutcomeRecord) : this.opts.store.get(hash);
    if (!whole) return undefined;
    const clean = scrubRecord(whole, scrubber);
    this.opts.store.put(clean);
    return clean;
  }

  private scrub(record: OutcomeRecord): OutcomeRecord {
    return this.opts.scrubber ? scrubRecord(record, this.opts.scrubber) : record;
  }

  private used(record: ServedOutcome): void {
    if (record.redacted)
      this.opts.stats.redacted.push({
        model: record.modelId,
        itemId: record.identity.itemId,
        role: record.identity.role,
      });
  }

  private failed(record: ServedOutcome): void {
    this.opts.stats.errors++;
    this.opts.stats.failures.push({
      model: record.modelId,
      itemId: record.identity.itemId,
      role: record.identity.role,
      code: record.errorCode,
      error: record.error ?? "",
      ...(record.redacted ? { redacted: true as const } : {}),
    });
  }

  private missing(resolved: ResolvedModel, identity: RequestIdentity, hash: string): Answer {
    this.opts.stats.missing.push(
      `${resolved.spec.id} ${identity.itemId}${identity.role === "answer" ? "" : ` (${identity.role})`}`,
    );
    const missing: CallResult = {
      model: resolved.spec.id,
      requestHash: hash,
      text: "",
      usage: ZERO_USAGE,
      latencyMs: 0,
      costUsd: 0,
      cached: false,
      error: `missing outcome for ${resolved.spec.id} on item ${identity.itemId}`,
    };
    return { missing, resolved };
  }
}
