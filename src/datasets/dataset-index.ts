import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { blobOf, columnOf } from "../core/typed-blobs.ts";
import type { ItemLines } from "./file-items.ts";

// What an eval's check of a dataset file leaves (where each item's line lies, and the sha256 of
// the file's bytes), kept beside the outcome store so a repeat run does not parse every line of
// an unchanged file again only to learn what it learned last time. Trusted as the replay imports
// are: a file whose path, size and modification time are those of a remembered check is taken as
// unchanged. The check is a function of the file's bytes and of the line format, so an entry is
// keyed by both (INDEX_FORMAT).

/**
 * The dataset line format the entries were checked against: bump it whenever DatasetLine or the
 * checks of readDataset change, so no entry made under the old rules is trusted
 * (dataset-index.test.ts fails when DatasetLine changes and this is not bumped).
 */
export const INDEX_FORMAT = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dataset_files (
  path TEXT NOT NULL, format INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, sha256 TEXT NOT NULL,
  PRIMARY KEY (path, format));
CREATE TABLE IF NOT EXISTS dataset_lines (
  sha256 TEXT NOT NULL, format INTEGER NOT NULL, items INTEGER NOT NULL,
  line BLOB NOT NULL, offset BLOB NOT NULL, length BLOB NOT NULL, metadata BLOB NOT NULL,
  PRIMARY KEY (sha256, format));
`;

/** A file's size and modification time, as FileItems checks them before each read. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface IndexedDataset {
  sha256: string;
  lines: ItemLines;
}

interface LinesRow {
  items: number;
  line: Buffer;
  offset: Buffer;
  length: Buffer;
  metadata: Buffer;
}

export class DatasetIndex {
  private db: Database.Database | null = null;
  private readonly pending = new Map<string, { stamp: FileStamp; entry: IndexedDataset }>();

  /** `path`: the index's SQLite file, created at the first `save` that has something to write. */
  constructor(private readonly path: string) {}

  /**
   * The check remembered for `file` at this size and modification time, else undefined. An index
   * that cannot be read (damaged, locked, from another routegate) is a miss, never a failed run.
   */
  find(file: string, stamp: FileStamp): IndexedDataset | undefined {
    try {
      const db = this.open(false);
      if (!db) return undefined;
      const known = db
        .prepare("SELECT sha256 FROM dataset_files WHERE path = ? AND format = ? AND size = ? AND mtime_ms = ?")
        .get(file, INDEX_FORMAT, stamp.size, stamp.mtimeMs) as { sha256: string } | undefined;
      if (!known) return undefined;
      const row = db
        .prepare("SELECT items, line, offset, length, metadata FROM dataset_lines WHERE sha256 = ? AND format = ?")
        .get(known.sha256, INDEX_FORMAT) as LinesRow | undefined;
      const lines = row && linesOf(row, stamp.size);
      return lines ? { sha256: known.sha256, lines } : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps a file's check, made at `stamp`, for `save`: nothing is written before the run's store
   * is opened, so a run refused for bad input leaves nothing behind.
   */
  remember(file: string, stamp: FileStamp, entry: IndexedDataset): void {
    this.pending.set(file, { stamp, entry });
  }

  /** Writes what `remember` kept. A failed write loses only the saving (the next run checks again). */
  save(): void {
    if (this.pending.size === 0) return;
    try {
      const db = this.open(true)!;
      const file = db.prepare(
        "INSERT OR REPLACE INTO dataset_files (path, format, size, mtime_ms, sha256) VALUES (?, ?, ?, ?, ?)",
      );
      const lines = db.prepare(
        "INSERT OR REPLACE INTO dataset_lines (sha256, format, items, line, offset, length, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)",
      );
      const gone = (db.prepare("SELECT path FROM dataset_files").pluck().all() as string[]).filter(
        (path) => !existsSync(path),
      );
      db.transaction(() => {
        for (const [path, { stamp, entry }] of this.pending) {
          const l = entry.lines;
          lines.run(
            entry.sha256,
            INDEX_FORMAT,
            l.line.length,
            blobOf(l.line),
            blobOf(l.offset),
            blobOf(l.length),
            blobOf(l.metadata),
          );
          file.run(path, INDEX_FORMAT, stamp.size, stamp.mtimeMs, entry.sha256);
        }
        // Files deleted since (a gate's base checkout, a moved dataset) and checks no file points to
        // any more are dropped, so the index holds the datasets in use, not every one ever read.
        const forget = db.prepare("DELETE FROM dataset_files WHERE path = ?");
        for (const path of gone) forget.run(path);
        db.exec(
          "DELETE FROM dataset_lines WHERE NOT EXISTS (SELECT 1 FROM dataset_files f WHERE f.sha256 = dataset_lines.sha256 AND f.format = dataset_lines.format)",
        );
      })();
    } catch {
      // A cache: a read-only folder or a locked file costs the next run its check, nothing more.
    }
    this.pending.clear();
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  private open(create: boolean): Database.Database | null {
    if (this.db) return this.db;
    if (!create && !existsSync(this.path)) return null;
    if (create) mkdirSync(dirname(this.path), { recursive: true });
    const db = new Database(this.path);
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    db.exec(SCHEMA);
    this.db = db;
    return db;
  }
}

/** The columns of a stored entry, or undefined where they do not fit together or in the file. */
function linesOf(row: LinesRow, fileSize: number): ItemLines | undefined {
  const n = row.items;
  if (!(Number.isInteger(n) && n > 0)) return undefined;
  const line = columnOf(Uint32Array, row.line, n);
  const offset = columnOf(Float64Array, row.offset, n);
  const length = columnOf(Uint32Array, row.length, n);
  const metadata = columnOf(Uint8Array, row.metadata, n);
  if (!(line && offset && length && metadata)) return undefined;
  const lines: ItemLines = { line, offset, length, metadata };
  // Lines in order, each within the file: an entry that is not is ignored, not read from.
  let end = 0;
  for (let i = 0; i < n; i++) {
    const at = lines.offset[i]!;
    if (!(at >= end) || at + lines.length[i]! > fileSize) return undefined;
    end = at + lines.length[i]!;
  }
  return lines;
}
