import { InputError } from "../core/errors.ts";
import type {
  ChatRequest,
  EmbedRequest,
  LogprobSummary,
  RawUsage,
  RequestIdentity,
  Role,
  Usage,
} from "../core/types.ts";

// How an outcome is laid out in the store's `outcomes` table, and read back. The store is a file on
// disk that anything may have altered: every row read is checked (column types, the JSON columns'
// shapes) and a damaged one is refused with the store, the row and the fix named. The checks are
// plain type tests, not a schema library: a repeat run reads every outcome it evaluates, and a
// per-row schema parse would cost more than the read.

/** One stored outcome: usage, never a frozen cost (cost is derived at evaluation time). */
export interface OutcomeRecord {
  hash: string;
  modelId: string;
  snapshot: string;
  identity: RequestIdentity;
  /** The hashed request (transport hints removed): a chat request, or an embedding's text. Never contains credentials. */
  request: Omit<ChatRequest, "cache"> | EmbedRequest;
  /** The answer text; for an embedding (role "embed"), its vector as `f32:` + base64 of float32 values. */
  output: string;
  usage: Usage | null;
  usageEstimated: boolean;
  recordedCostUsd: number | null;
  latencyMs: number;
  error: string | null;
  errorCode: string | null;
  logprobs: LogprobSummary | null;
  createdAt: string;
  /** Service tier that billed the call (null: standard). */
  serviceTier: string | null;
  /** True when a configured secret (an API key) was found in the outcome and replaced (schema version 4). */
  redacted?: boolean;
  /** Runs that have collected this outcome, this one included (schema version 5); absent: 1. */
  tries?: number;
  /** The usage object the provider returned, secrets scrubbed (schema version 7); absent: none kept. */
  rawUsage?: RawUsage | null;
}

/**
 * A stored outcome as an evaluation serves it: everything but the request and the provider's raw
 * usage, which no answer served needs (the evaluation has the request; raw usage is read by
 * `store renormalise`). A repeat run reads every outcome it evaluates, and those two columns are
 * most of a row's text.
 */
export type ServedOutcome = Omit<OutcomeRecord, "request" | "rawUsage">;

export interface Row {
  hash: string;
  model_id: string;
  snapshot: string;
  item_id: string;
  role: string;
  sample: number;
  parents: string;
  request: string;
  output: string;
  usage: string | null;
  usage_estimated: number;
  recorded_cost_usd: number | null;
  latency_ms: number;
  error: string | null;
  error_code: string | null;
  logprobs: string | null;
  created_at: string;
  service_tier: string | null;
  redacted: number;
  tries: number;
  usage_raw: string | null;
}

/**
 * Every column the store writes, by name, so a column added by a later migration never shifts
 * another; rows read as arrays (RowReader.values) hold their values in this order.
 */
export const COLUMNS: readonly (keyof Row)[] = [
  "hash",
  "model_id",
  "snapshot",
  "item_id",
  "role",
  "sample",
  "parents",
  "request",
  "output",
  "usage",
  "usage_estimated",
  "recorded_cost_usd",
  "latency_ms",
  "error",
  "error_code",
  "logprobs",
  "created_at",
  "service_tier",
  "redacted",
  "tries",
  "usage_raw",
];

/**
 * A record's column values in COLUMNS' order, bound to the insert by position: no object of 21
 * named columns built per row written, nor a lookup by name per column when it is bound (a first
 * run writes every outcome it collects).
 */
export function toValues(r: OutcomeRecord): RowValues {
  return [
    r.hash,
    r.modelId,
    r.snapshot,
    r.identity.itemId,
    r.identity.role,
    r.identity.sample,
    r.identity.parents.length === 0 ? "[]" : JSON.stringify(r.identity.parents),
    JSON.stringify(r.request),
    r.output,
    r.usage ? JSON.stringify(r.usage) : null,
    r.usageEstimated ? 1 : 0,
    r.recordedCostUsd,
    r.latencyMs,
    r.error,
    r.errorCode,
    r.logprobs ? JSON.stringify(r.logprobs) : null,
    r.createdAt,
    r.serviceTier,
    r.redacted ? 1 : 0,
    r.tries ?? 1,
    r.rawUsage ? JSON.stringify(r.rawUsage) : null,
  ];
}

/** Row's values as a tuple in COLUMNS' order (the compiler checks each position's type against its column). */
export type RowValues = [
  Row["hash"],
  Row["model_id"],
  Row["snapshot"],
  Row["item_id"],
  Row["role"],
  Row["sample"],
  Row["parents"],
  Row["request"],
  Row["output"],
  Row["usage"],
  Row["usage_estimated"],
  Row["recorded_cost_usd"],
  Row["latency_ms"],
  Row["error"],
  Row["error_code"],
  Row["logprobs"],
  Row["created_at"],
  Row["service_tier"],
  Row["redacted"],
  Row["tries"],
  Row["usage_raw"],
];

const ROLES: ReadonlySet<string> = new Set<Role>(["answer", "classify", "verify", "judge", "embed"]);
const FIX =
  "the store file was altered or damaged: delete it (or point --store at another) and run again to collect the outcome";

/** What type each column must hold, in COLUMNS' order: "s" text, "s?" text or null, "n" a number, "n?" a number or null. */
const KINDS: Readonly<Record<keyof Row, "s" | "s?" | "n" | "n?">> = {
  hash: "s",
  model_id: "s",
  snapshot: "s",
  item_id: "s",
  role: "s",
  sample: "n",
  parents: "s",
  request: "s",
  output: "s",
  usage: "s?",
  usage_estimated: "n",
  recorded_cost_usd: "n?",
  latency_ms: "n",
  error: "s?",
  error_code: "s?",
  logprobs: "s?",
  created_at: "s",
  service_tier: "s?",
  redacted: "n",
  tries: "n",
  usage_raw: "s?",
};

const NOT_SERVED: ReadonlySet<keyof Row> = new Set<keyof Row>(["request", "usage_raw"]);

/**
 * The select list of a served read: COLUMNS' order (so one reader serves both), with the columns
 * no served answer needs selected as NULL instead of read and parsed.
 */
export const SERVED_SELECT = COLUMNS.map((c) => (NOT_SERVED.has(c) ? `NULL AS ${c}` : c)).join(", ");

/** Reads rows of one store, refusing a damaged one with the store's path, the row and the column. */
export class RowReader {
  constructor(private readonly storePath: string) {}

  /** A row read as an object (`SELECT *`), whole. */
  record(row: Row): OutcomeRecord {
    return this.read(
      COLUMNS.map((c) => row[c]),
      false,
    ) as OutcomeRecord;
  }

  /** A row as an insert binds it (toValues), whole: a block handed to the writer thread, read back. */
  values(v: RowValues): OutcomeRecord {
    return this.read(v, false) as OutcomeRecord;
  }

  /** A row read with SERVED_SELECT (a statement in raw mode): request and raw usage selected as null, not read. */
  served(v: readonly unknown[]): ServedOutcome {
    return this.read(v, true);
  }

  /**
   * A row as an array of COLUMNS' values: a repeat run reads every outcome it evaluates, and an
   * array per row is cheaper to make than an object of 21 columns. The common case is one test of
   * every column's type (numbers finite: SQLite stores infinity); only a row that fails it is
   * looked at column by column, to name what is wrong. `served`: the request and raw usage are
   * null and left out of the record.
   */
  private read(v: readonly unknown[], served: boolean): ServedOutcome {
    const [hash, modelId, snapshot, itemId, role, sample, parents, request, output, usage] = v;
    const [est, cost, latency, error, errorCode, logprobs, createdAt, tier, redacted, tries, raw] = v.slice(10);
    const typed =
      v.length === COLUMNS.length &&
      typeof hash === "string" &&
      typeof modelId === "string" &&
      typeof snapshot === "string" &&
      typeof itemId === "string" &&
      typeof role === "string" &&
      ROLES.has(role) &&
      Number.isFinite(sample) &&
      typeof parents === "string" &&
      (served ? request === null : typeof request === "string") &&
      typeof output === "string" &&
      (usage === null || typeof usage === "string") &&
      Number.isFinite(est) &&
      (cost === null || Number.isFinite(cost)) &&
      Number.isFinite(latency) &&
      (error === null || typeof error === "string") &&
      (errorCode === null || typeof errorCode === "string") &&
      (logprobs === null || typeof logprobs === "string") &&
      typeof createdAt === "string" &&
      (tier === null || typeof tier === "string") &&
      Number.isFinite(redacted) &&
      Number.isFinite(tries) &&
      (raw === null || typeof raw === "string");
    if (!typed) this.refuseColumn(v, served);
    const h = hash as string;
    const record: ServedOutcome = {
      hash: h,
      modelId: modelId as string,
      snapshot: snapshot as string,
      identity: {
        itemId: itemId as string,
        role: role as Role,
        sample: sample as number,
        parents: parents === "[]" ? [] : this.parents(h, parents as string),
      },
      output: output as string,
      usage: usage === null ? null : this.usage(h, usage as string),
      usageEstimated: est === 1,
      recordedCostUsd: cost as number | null,
      latencyMs: latency as number,
      error: error as string | null,
      errorCode: errorCode as string | null,
      logprobs: logprobs === null ? null : this.logprobs(h, logprobs as string),
      createdAt: createdAt as string,
      serviceTier: tier as string | null,
    };
    if (redacted === 1) record.redacted = true;
    if ((tries as number) > 1) record.tries = tries as number;
    if (served) return record;
    const full = record as OutcomeRecord;
    full.request = this.request(h, request as string);
    if (raw !== null) full.rawUsage = this.rawUsage(h, raw as string);
    return full;
  }

  /** Names the first column whose value has the wrong type (the row failed the one-line test). */
  private refuseColumn(v: readonly unknown[], served: boolean): never {
    const hash = typeof v[0] === "string" ? v[0] : "(no hash)";
    if (v.length !== COLUMNS.length) this.refuse(hash, "(all)", `${v.length} columns, expected ${COLUMNS.length}`);
    COLUMNS.forEach((column, i) => {
      const x = v[i];
      const kind = served && NOT_SERVED.has(column) ? "null" : KINDS[column];
      if (kind === "null") {
        if (x !== null) this.refuse(hash, column, "selected as null");
        return;
      }
      const ok =
        (kind.endsWith("?") && x === null) ||
        (kind.startsWith("s") ? typeof x === "string" : typeof x === "number" && Number.isFinite(x));
      if (!ok) this.refuse(hash, column, kind.startsWith("s") ? "not text" : "not a number");
    });
    return this.refuse(hash, "role", `unknown role "${String(v[4])}"`);
  }

  private request(hash: string, text: string): OutcomeRecord["request"] {
    const request = this.json(hash, "request", text);
    if (typeof request !== "object" || request === null || Array.isArray(request))
      this.refuse(hash, "request", "not a request object");
    return request as OutcomeRecord["request"];
  }

  private parents(hash: string, text: string): string[] {
    const parents = this.json(hash, "parents", text);
    if (!Array.isArray(parents) || parents.some((p) => typeof p !== "string"))
      this.refuse(hash, "parents", "not a list of request hashes");
    return parents as string[];
  }

  private usage(hash: string, text: string): Usage {
    const u = this.json(hash, "usage", text) as Usage;
    const i = u?.input;
    const o = u?.output;
    const ok =
      typeof i === "object" &&
      i !== null &&
      typeof o === "object" &&
      o !== null &&
      isCount(i.noCache) &&
      isCount(i.cacheRead) &&
      isCount(i.cacheWrite5m) &&
      isCount(i.cacheWrite1h) &&
      isCount(o.text) &&
      isCount(o.reasoning);
    if (!ok) this.refuse(hash, "usage", "not a usage object (input and output token counts)");
    return u;
  }

  private logprobs(hash: string, text: string): LogprobSummary {
    const l = this.json(hash, "logprobs", text) as LogprobSummary;
    if (typeof l?.mean !== "number" || typeof l.min !== "number") this.refuse(hash, "logprobs", "not {mean, min}");
    return l;
  }

  private rawUsage(hash: string, text: string): RawUsage {
    const r = this.json(hash, "usage_raw", text) as RawUsage;
    if (typeof r?.format !== "string" || !("usage" in r)) this.refuse(hash, "usage_raw", "not {format, usage}");
    return r;
  }

  private json(hash: string, column: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return this.refuse(hash, column, "not valid JSON");
    }
  }

  private refuse(hash: string, column: string, problem: string): never {
    throw new InputError(this.storePath, `outcome ${hash}, column ${column}`, problem, FIX);
  }
}

function isCount(x: unknown): boolean {
  return typeof x === "number" && Number.isFinite(x) && x >= 0;
}
