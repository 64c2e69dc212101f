import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Usage } from "../core/types.ts";
import { BatchLedger } from "./batch-ledger.ts";
import { BlockWriter } from "./block-writer.ts";
import { Claims } from "./claims.ts";
import { FineTuneJobs } from "./finetune-jobs.ts";
import { MIGRATIONS } from "./migrations.ts";
import {
  COLUMNS,
  type OutcomeRecord,
  type Row,
  RowReader,
  type RowValues,
  SERVED_SELECT,
  type ServedOutcome,
  toValues,
} from "./outcome-row.ts";

export type { OutcomeRecord, ServedOutcome } from "./outcome-row.ts";

/** Hashes per `IN (...)` read: well under SQLite's default limit of 32766 variables. */
const READ_CHUNK = 512;

/** The store's memory-mapped prefix: a 100K-item, two-model store fits (about 230 MB). */
const MMAP_BYTES = 256 * 1024 * 1024;

export const DEFAULT_STORE_PATH = ".routegate/outcomes.sqlite";

export interface StoreOptions {
  /** Blocks `putManyBehind` writes inline below this size (block-writer.ts; tests shrink it). */
  writeBehindMinRows?: number;
}

/**
 * The outcome table. WAL mode and one transaction per write keep a killed process from losing
 * more than the calls in flight; every completed call is durable as soon as `put` returns.
 */
export class OutcomeStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly putStmt: Database.Statement<RowValues>;
  /** Served reads by their SQL (key column and chunk size): rows as arrays of COLUMNS' values. */
  private readonly servedStmts = new Map<string, Database.Statement<string[], unknown[]>>();
  private readonly rows: RowReader;
  /** Provider batches submitted by `--batch` runs (schema version 3). */
  readonly batches: BatchLedger;
  /** Requests in flight, claimed by the process paying for them (schema version 5). */
  readonly claims: Claims;
  /** Fine-tuning jobs started by `routegate finetune submit` (the finetune_jobs migration). */
  readonly fineTuneJobs: FineTuneJobs;
  /** Commits `putManyBehind`'s blocks on a thread of its own (started at the first big block). */
  private readonly writer: BlockWriter;

  private constructor(db: Database.Database, path: string, options: StoreOptions) {
    this.db = db;
    this.rows = new RowReader(path);
    this.getStmt = db.prepare("SELECT * FROM outcomes WHERE hash = ?");
    const insertSql = `INSERT OR REPLACE INTO outcomes (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`;
    this.putStmt = db.prepare(insertSql);
    this.writer = new BlockWriter(
      path,
      insertSql,
      (records) => this.putMany(records),
      (row) => this.rows.values(row),
      options.writeBehindMinRows,
    );
    this.batches = new BatchLedger(db);
    this.claims = new Claims(db);
    this.fineTuneJobs = new FineTuneJobs(db);
  }

  static open(path: string = DEFAULT_STORE_PATH, options: StoreOptions = {}): OutcomeStore {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    // The wait first: switching a fresh file to WAL takes a lock another process may hold.
    db.pragma("busy_timeout = 5000");
    return untilUnlocked(() => {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      // Reads through a memory map, not a read() call per page: a repeat run looks up every answer
      // of every item, at random places in the hash index (about half the time of those reads, at
      // 200K outcomes). Capped, as mapped pages count in the process's resident memory.
      db.pragma(`mmap_size = ${MMAP_BYTES}`);
      migrate(db);
      return new OutcomeStore(db, path, options);
    });
  }

  get schemaVersion(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  get(hash: string): OutcomeRecord | undefined {
    const row = this.getStmt.get(hash);
    return row ? this.rows.record(row) : undefined;
  }

  put(record: OutcomeRecord): void {
    this.putStmt.run(...toValues(record));
  }

  /** A model's stored first answers (role "answer", sample 0, no error): what `distill` reads. */
  answersOf(modelId: string): OutcomeRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM outcomes WHERE model_id = ? AND role = 'answer' AND sample = 0 AND error IS NULL")
        .all(modelId) as Row[]
    ).map((row) => this.rows.record(row));
  }

  /**
   * Outcomes of many hashes as an evaluation serves them (no request, no raw usage: ServedOutcome),
   * in a few statements (`WHERE hash IN (...)`, chunks under SQLite's variable limit): a run reads
   * its stored outcomes a window at a time, not one lookup per row.
   */
  getMany(hashes: readonly string[]): Map<string, ServedOutcome> {
    const found = new Map<string, ServedOutcome>();
    this.servedRows("hash", hashes, (values) => {
      const record = this.rows.served(values);
      found.set(record.hash, record);
    });
    return found;
  }

  /**
   * The outcomes among `hashes` stored for these items, read by item (`outcomes_by_item`: one
   * search per item, its rows side by side) rather than by hash (one search of the hash index and
   * one of the table per outcome, at random places). An outcome's item id is the one its hash was
   * made from, so a hash not found here is not stored. `rows`: how many rows the items had in all
   * (other models', samples, older prompts' are read and left), for the caller to tell when
   * reading by hash would read less.
   */
  getManyOfItems(
    itemIds: readonly string[],
    hashes: readonly string[],
  ): { found: Map<string, ServedOutcome>; rows: number } {
    const wanted = new Set(hashes);
    const found = new Map<string, ServedOutcome>();
    let rows = 0;
    this.servedRows("item_id", itemIds, (values) => {
      rows++;
      // The hash is the first column: rows of other requests are not decoded.
      if (!wanted.has(values[0] as string)) return;
      const record = this.rows.served(values);
      found.set(record.hash, record);
    });
    return { found, rows };
  }

  /**
   * Several outcomes in one transaction: for answers nobody paid for (offline providers, imports).
   * Paid answers go through `put`, one commit each, so a killed process never loses one.
   */
  putMany(records: readonly OutcomeRecord[]): void {
    if (records.length === 0) return;
    this.db.transaction(() => {
      for (const r of records) this.putStmt.run(...toValues(r));
    })();
  }

  /**
   * `putMany` on the store's writer thread: the block is committed while the caller goes on, and
   * `written` with the number returned waits for it. Until then its outcomes are read with
   * `behind` (a read of the table may not find them yet). Small blocks, and any block of an
   * in-memory store, are written before this returns. Only for answers nobody paid for.
   */
  putManyBehind(records: readonly OutcomeRecord[]): number {
    return this.writer.write(records);
  }

  /**
   * Returns once `putManyBehind`'s block `ticket` is committed; if it was not, `holdAgain` gets its
   * records back (to write again) and the error is thrown.
   */
  written(ticket: number, holdAgain: (records: OutcomeRecord[]) => void): void {
    this.writer.written(ticket, holdAgain);
  }

  /** An outcome handed to `putManyBehind` and not yet known committed, else undefined. */
  behind(hash: string): OutcomeRecord | undefined {
    return this.writer.behind(hash);
  }

  /** Whether `behind` holds the hash. */
  holdsBehind(hash: string): boolean {
    return this.writer.holds(hash);
  }

  /**
   * The served columns (COLUMNS' order) of the rows whose `column` is one of `keys`, as arrays, in
   * statements of READ_CHUNK keys (under SQLite's variable limit), each prepared once per size.
   */
  private servedRows(column: "hash" | "item_id", keys: readonly string[], each: (values: unknown[]) => void): void {
    for (let at = 0; at < keys.length; at += READ_CHUNK) {
      const chunk = keys.slice(at, at + READ_CHUNK);
      const sql = `SELECT ${SERVED_SELECT} FROM outcomes WHERE ${column} IN (${"?,".repeat(chunk.length - 1)}?)`;
      let stmt = this.servedStmts.get(sql);
      if (!stmt) {
        stmt = this.db.prepare(sql).raw(true) as Database.Statement<string[], unknown[]>;
        this.servedStmts.set(sql, stmt);
      }
      for (const values of stmt.all(...chunk)) each(values);
    }
  }

  count(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM outcomes").get() as { n: number }).n;
  }

  /** Outcomes that kept their provider's raw usage, `limit` at a time in hash order after `afterHash`. */
  withRawUsage(afterHash: string, limit: number): OutcomeRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM outcomes WHERE usage_raw IS NOT NULL AND hash > ? ORDER BY hash LIMIT ?")
      .all(afterHash, limit) as Row[];
    return rows.map((row) => this.rows.record(row));
  }

  /** Replaces stored usages (hash -> usage) in one transaction: all of them or none. */
  updateUsage(updates: ReadonlyMap<string, Usage>): void {
    const stmt = this.db.prepare("UPDATE outcomes SET usage = ? WHERE hash = ?");
    this.db.transaction(() => {
      for (const [hash, usage] of updates) stmt.run(JSON.stringify(usage), hash);
    })();
  }

  recordRun(run: { runId: string; eval: string; startedAt: string; status: string }): void {
    this.db
      .prepare("INSERT OR REPLACE INTO runs (run_id, eval, started_at, status) VALUES (?, ?, ?, ?)")
      .run(run.runId, run.eval, run.startedAt, run.status);
  }

  finishRun(runId: string, status: string, providerCalls: number, fromStore: number): void {
    this.db
      .prepare("UPDATE runs SET finished_at = ?, status = ?, provider_calls = ?, from_store = ? WHERE run_id = ?")
      .run(new Date().toISOString(), status, providerCalls, fromStore, runId);
  }

  close(): void {
    this.writer.close();
    this.db.close();
  }
}

/**
 * Runs `open` again while SQLite answers "database is locked" at once, for at most 30 s. The busy
 * timeout covers ordinary waits, but SQLite skips the busy handler where waiting could deadlock:
 * processes opening one fresh file together, one switching it to WAL while another reads its
 * header. Each step is idempotent (WAL is kept once set; `migrate` reads the version in its own
 * write transaction; the constructor only prepares statements), so running it again is safe.
 */
function untilUnlocked<T>(open: () => T): T {
  const deadline = Date.now() + 30_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return open();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const busy = typeof code === "string" && code.startsWith("SQLITE_BUSY");
      if (!busy || Date.now() > deadline) throw err;
      // A synchronous pause: opening a store is synchronous, and a short random wait splits the contenders.
      Atomics.wait(
        new Int32Array(new SharedArrayBuffer(4)),
        0,
        0,
        20 + Math.random() * Math.min(500, 20 * 2 ** attempt),
      );
    }
  }
}

/**
 * Brings the schema up to date. Several processes may open a fresh store at once (parallel runs
 * on one machine): the version is read again inside a write transaction (BEGIN IMMEDIATE), so
 * exactly one of them migrates and the others find the work done.
 */
function migrate(db: Database.Database): void {
  const version = () => db.pragma("user_version", { simple: true }) as number;
  const tooNew = (v: number) =>
    new Error(
      `outcome store schema version ${v} is newer than this routegate (${MIGRATIONS.length}); upgrade routegate or point --store elsewhere`,
    );
  const seen = version();
  if (seen > MIGRATIONS.length) throw tooNew(seen);
  if (seen === MIGRATIONS.length) return;
  db.transaction(() => {
    const current = version();
    if (current > MIGRATIONS.length) throw tooNew(current);
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
