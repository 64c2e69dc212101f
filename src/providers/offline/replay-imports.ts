import { createHash } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { isPlainRecordedOutcomeLine, RecordedOutcomeLine } from "../../contracts/recorded-outcome.ts";
import { InputError } from "../../core/errors.ts";
import { parseJsonLine } from "../../datasets/jsonl.ts";
import { forEachLine } from "../../datasets/line-reader.ts";

// Recorded-outcome files imported once into SQLite, keyed by their bytes: a file whose size and
// mtime are those of its last import is not read at all (a repeat run); one that changed is hashed
// (sha256 of its bytes) and, if those bytes were never imported, parsed and imported. Answers are
// then read one record at a time from disk, so a run's memory does not grow with the file.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS replay_files (
  path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replay_imports (sha256 TEXT PRIMARY KEY, model_hashes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replay_lines (
  sha256 TEXT NOT NULL, model TEXT NOT NULL, key TEXT NOT NULL, line INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (sha256, model, key)) WITHOUT ROWID;
`;

/** One imported file: each model's records hash, and its records by (itemId, sample) key. */
export interface ImportedFile {
  modelHashes: Record<string, string>;
  /** The record's JSON line (validated at import), or undefined. */
  line(model: string, key: string): string | undefined;
  /** The JSON lines of many keys of one model, in a few statements; keys without a record are absent. */
  lines(model: string, keys: readonly string[]): Map<string, string>;
}

/** Keys per `IN (...)` read: well under SQLite's default limit of 32766 variables. */
const READ_CHUNK = 500;

export class ReplayImports {
  private readonly db: Database.Database;
  private readonly lineStmt: Database.Statement<[string, string, string], { body: string }>;
  private readonly linesStmts = new Map<number, Database.Statement<string[], [string, string]>>();

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
    this.lineStmt = this.db.prepare("SELECT body FROM replay_lines WHERE sha256 = ? AND model = ? AND key = ?");
  }

  /**
   * The file's import, made now if its bytes were never imported. `keyOf` gives a record's lookup
   * key; `check` validates a record beyond its schema (throws InputError naming `where`).
   */
  open(
    file: string,
    keyOf: (line: RecordedOutcomeLine) => string,
    check: (line: RecordedOutcomeLine, where: string) => void,
    fix: string,
  ): ImportedFile {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file);
    } catch (err) {
      throw new InputError(
        file,
        undefined,
        `cannot read recorded outcomes (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        "check the path; relative paths resolve from the eval file's folder or the working directory",
      );
    }
    const known = this.db
      .prepare("SELECT sha256 FROM replay_files WHERE path = ? AND size = ? AND mtime_ms = ?")
      .get(file, st.size, st.mtimeMs) as { sha256: string } | undefined;
    let sha = known?.sha256;
    let hashes = sha ? this.hashesOf(sha) : undefined;
    if (!sha || !hashes) {
      sha = sha256OfFile(file);
      hashes = this.hashesOf(sha) ?? this.importFile(file, sha, keyOf, check, fix);
      this.db
        .prepare("INSERT OR REPLACE INTO replay_files (path, size, mtime_ms, sha256) VALUES (?, ?, ?, ?)")
        .run(file, st.size, st.mtimeMs, sha);
    }
    const id = sha;
    return {
      modelHashes: hashes,
      line: (model, key) => this.lineStmt.get(id, model, key)?.body,
      lines: (model, keys) => this.linesOf(id, model, keys),
    };
  }

  private linesOf(sha: string, model: string, keys: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (let at = 0; at < keys.length; at += READ_CHUNK) {
      const chunk = keys.slice(at, at + READ_CHUNK);
      let stmt = this.linesStmts.get(chunk.length);
      if (!stmt) {
        stmt = this.db
          .prepare(
            `SELECT key, body FROM replay_lines WHERE sha256 = ? AND model = ? AND key IN (${"?,".repeat(chunk.length - 1)}?)`,
          )
          .raw(true) as Database.Statement<string[], [string, string]>;
        this.linesStmts.set(chunk.length, stmt);
      }
      for (const [key, body] of stmt.all(sha, model, ...chunk)) found.set(key, body);
    }
    return found;
  }

  close(): void {
    this.db.close();
  }

  private hashesOf(sha: string): Record<string, string> | undefined {
    const row = this.db.prepare("SELECT model_hashes FROM replay_imports WHERE sha256 = ?").get(sha) as
      | { model_hashes: string }
      | undefined;
    return row ? (JSON.parse(row.model_hashes) as Record<string, string>) : undefined;
  }

  /** Parses and stores every record in one transaction: a bad line leaves nothing half-imported. */
  private importFile(
    file: string,
    sha: string,
    keyOf: (line: RecordedOutcomeLine) => string,
    check: (line: RecordedOutcomeLine, where: string) => void,
    fix: string,
  ): Record<string, string> {
    const insert = this.db.prepare(
      "INSERT OR IGNORE INTO replay_lines (sha256, model, key, line, body) VALUES (?, ?, ?, ?, ?)",
    );
    const firstAt = this.db.prepare("SELECT line FROM replay_lines WHERE sha256 = ? AND model = ? AND key = ?");
    const perModel = new Map<string, ReturnType<typeof createHash>>();
    this.db.transaction(() => {
      forEachLine(file, "recorded outcomes", (text, lineNo) => {
        const line = parseJsonLine(text, file, lineNo, RecordedOutcomeLine, fix, isPlainRecordedOutcomeLine);
        const where = `line ${lineNo}`;
        check(line, where);
        const key = keyOf(line);
        if (insert.run(sha, line.model, key, lineNo, text).changes === 0) {
          const first = (firstAt.get(sha, line.model, key) as { line: number }).line;
          throw new InputError(
            file,
            where,
            `duplicate outcome for model "${line.model}", item "${line.itemId}", sample ${line.sample ?? 0} (first at line ${first})`,
            'keep one line per (model, itemId, sample); give repeated generations distinct "sample" numbers',
          );
        }
        let h = perModel.get(line.model);
        if (!h) {
          h = createHash("sha256");
          perModel.set(line.model, h);
        }
        h.update(text).update("\n");
      });
      const hashes = Object.fromEntries([...perModel].map(([m, h]) => [m, h.digest("hex").slice(0, 12)]));
      this.db
        .prepare("INSERT INTO replay_imports (sha256, model_hashes) VALUES (?, ?)")
        .run(sha, JSON.stringify(hashes));
    })();
    // The whole import sits in the write-ahead log until a checkpoint; without this one the log
    // keeps the import's size (944 MB at a million lines) for as long as the process runs.
    this.db.pragma("wal_checkpoint(TRUNCATE)");
    return this.hashesOf(sha)!;
  }
}

function sha256OfFile(file: string): string {
  return forEachLine(file, "recorded outcomes", () => {});
}
