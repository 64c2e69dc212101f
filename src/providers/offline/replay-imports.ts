import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { isPlainRecordedOutcomeLine, RecordedOutcomeLine } from "../../contracts/recorded-outcome.ts";
import { InputError, RunError } from "../../core/errors.ts";
import { blobOf, columnOf } from "../../core/typed-blobs.ts";
import { parseJsonLine } from "../../datasets/jsonl.ts";
import { forEachLine } from "../../datasets/line-reader.ts";
import { candidates, keyHash, PlacesBuilder, type RecordPlaces } from "./replay-index.ts";

// Recorded-outcome files checked once and indexed, keyed by their bytes: a file whose size and
// mtime are those of its last check is not parsed again (a repeat run); one that changed is read
// (sha256 of its bytes) and, if those bytes were never checked, checked and indexed. The index
// keeps where each record lies (replay-index.ts), not its text: answers are read from the file
// when asked for, so neither the run's memory nor the index grows with the records' text.

/** The index layout: bump when it changes (older entries are then checked again, not misread). */
const FORMAT = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS replay_files (
  path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replay_index (
  sha256 TEXT NOT NULL, format INTEGER NOT NULL, model_hashes TEXT NOT NULL, records INTEGER NOT NULL,
  key_hash BLOB NOT NULL, offset BLOB NOT NULL, length BLOB NOT NULL, line BLOB NOT NULL,
  PRIMARY KEY (sha256, format));
DROP TABLE IF EXISTS replay_lines;
DROP TABLE IF EXISTS replay_imports;
`;

/** One checked file: each model's records hash, and its records by (itemId, sample) key. */
export interface ImportedFile {
  modelHashes: Record<string, string>;
  /** The record (validated when the file was checked), or undefined. */
  record(model: string, key: string): RecordedOutcomeLine | undefined;
  /** The records of many keys of one model, read in a few reads; keys without a record are absent. */
  records(model: string, keys: readonly string[]): Map<string, RecordedOutcomeLine>;
}

type KeyOf = (line: RecordedOutcomeLine) => string;

/** Places of records read in one go: a gap this small between two is read through, not skipped. */
const READ_GAP = 64 * 1024;
const READ_SPAN = 8 * 1024 * 1024;

export class ReplayImports {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
  }

  /**
   * The file's index, made now if its bytes were never checked. `keyOf` gives a record's lookup
   * key; `check` validates a record beyond its schema (throws InputError naming `where`).
   */
  open(
    file: string,
    keyOf: KeyOf,
    check: (line: RecordedOutcomeLine, where: string) => void,
    fix: string,
  ): ImportedFile {
    const st = statOrInputError(file);
    const known = this.db
      .prepare("SELECT sha256 FROM replay_files WHERE path = ? AND size = ? AND mtime_ms = ?")
      .get(file, st.size, st.mtimeMs) as { sha256: string } | undefined;
    let checked = known ? this.load(known.sha256) : undefined;
    let bytes: Buffer | undefined;
    if (!checked) {
      const made = checkFile(file, keyOf, check, fix);
      ({ bytes } = made);
      checked = made;
      this.save(file, st, made);
    }
    return new RecordFile(file, st, checked.places, checked.modelHashes, keyOf, bytes);
  }

  close(): void {
    this.db.close();
  }

  private load(sha: string): Checked | undefined {
    const row = this.db
      .prepare(
        "SELECT model_hashes, records, key_hash, offset, length, line FROM replay_index WHERE sha256 = ? AND format = ?",
      )
      .get(sha, FORMAT) as
      | { model_hashes: string; records: number; key_hash: Buffer; offset: Buffer; length: Buffer; line: Buffer }
      | undefined;
    if (!row) return undefined;
    const n = row.records;
    const keyHash = columnOf(Float64Array, row.key_hash, n);
    const offset = columnOf(Float64Array, row.offset, n);
    const length = columnOf(Uint32Array, row.length, n);
    const line = columnOf(Uint32Array, row.line, n);
    if (!(keyHash && offset && length && line)) return undefined;
    const places: RecordPlaces = { keyHash, offset, length, line };
    return { sha, places, modelHashes: JSON.parse(row.model_hashes) as Record<string, string> };
  }

  private save(file: string, st: { size: number; mtimeMs: number }, checked: Checked): void {
    const { places } = checked;
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT OR REPLACE INTO replay_index (sha256, format, model_hashes, records, key_hash, offset, length, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          checked.sha,
          FORMAT,
          JSON.stringify(checked.modelHashes),
          places.keyHash.length,
          blobOf(places.keyHash),
          blobOf(places.offset),
          blobOf(places.length),
          blobOf(places.line),
        );
      this.db
        .prepare("INSERT OR REPLACE INTO replay_files (path, size, mtime_ms, sha256) VALUES (?, ?, ?, ?)")
        .run(file, st.size, st.mtimeMs, checked.sha);
    })();
  }
}

interface Checked {
  sha: string;
  places: RecordPlaces;
  modelHashes: Record<string, string>;
  /** A gzipped file's gunzipped bytes, which the places are into. */
  bytes?: Buffer;
}

/** Parses and checks every record (duplicates included) and notes where each lies. */
function checkFile(
  file: string,
  keyOf: KeyOf,
  check: (line: RecordedOutcomeLine, where: string) => void,
  fix: string,
): Checked {
  const builder = new PlacesBuilder();
  const perModel = new Map<string, ReturnType<typeof createHash>>();
  let bytes: Buffer | undefined;
  const sha = forEachLine(
    file,
    "recorded outcomes",
    (text, lineNo, offset, length) => {
      const line = parseJsonLine(text, file, lineNo, RecordedOutcomeLine, fix, isPlainRecordedOutcomeLine);
      check(line, `line ${lineNo}`);
      builder.push(keyHash(line.model, keyOf(line)), offset, length, lineNo);
      let h = perModel.get(line.model);
      if (!h) {
        h = createHash("sha256");
        perModel.set(line.model, h);
      }
      h.update(text).update("\n");
    },
    (gunzipped) => {
      bytes = gunzipped;
    },
  );
  const places = builder.done();
  refuseDuplicates(file, places, keyOf, bytes);
  const modelHashes = Object.fromEntries([...perModel].map(([m, h]) => [m, h.digest("hex").slice(0, 12)]));
  return { sha, places, modelHashes, ...(bytes ? { bytes } : {}) };
}

/** Two records with one (model, key): the later one is refused, naming the first's line. */
function refuseDuplicates(file: string, places: RecordPlaces, keyOf: KeyOf, bytes: Buffer | undefined): void {
  const { keyHash: h, line } = places;
  let worst: { at: number; first: number; record: RecordedOutcomeLine } | undefined;
  const reader = new LineReader(file, null, bytes);
  for (let i = 1; i < h.length; i++) {
    if (h[i] !== h[i - 1]) continue;
    // Equal hashes: the same key (a duplicate) or, rarely, two keys sharing a hash.
    const later = reader.record(places, i);
    for (let j = i - 1; j >= 0 && h[j] === h[i]; j--) {
      const earlier = reader.record(places, j);
      if (earlier.model !== later.model || keyOf(earlier) !== keyOf(later)) continue;
      if (!worst || line[i]! < worst.at) worst = { at: line[i]!, first: Math.min(line[j]!, line[i]!), record: later };
    }
  }
  if (worst) {
    const r = worst.record;
    throw new InputError(
      file,
      `line ${worst.at}`,
      `duplicate outcome for model "${r.model}", item "${r.itemId}", sample ${r.sample ?? 0} (first at line ${worst.first})`,
      'keep one line per (model, itemId, sample); give repeated generations distinct "sample" numbers',
    );
  }
}

/** Reads records from their file by place, refusing a file that changed since it was checked. */
class LineReader {
  constructor(
    private readonly file: string,
    private readonly stamp: { size: number; mtimeMs: number } | null,
    private bytes: Buffer | undefined,
  ) {}

  record(places: RecordPlaces, i: number): RecordedOutcomeLine {
    return this.parse(this.read(places.offset[i]!, places.length[i]!).toString("utf8"));
  }

  /** The bytes from `at`, `size` of them (a gzipped file's from its gunzipped bytes). */
  read(at: number, size: number): Buffer {
    if (this.file.endsWith(".gz")) {
      this.bytes ??= gunzipSync(readFileSync(this.file));
      return this.bytes.subarray(at, at + size);
    }
    const buf = Buffer.allocUnsafe(size);
    const fd = openSync(this.file, "r");
    try {
      if (this.stamp) {
        const now = fstatSync(fd);
        if (now.size !== this.stamp.size || now.mtimeMs !== this.stamp.mtimeMs)
          throw new RunError(
            `recorded outcomes ${this.file}: changed since the run checked it; its answers are read from the file as the run needs them, so it must stay as it was until the run ends`,
          );
      }
      let got = 0;
      while (got < size) {
        const n = readSync(fd, buf, got, size - got, at + got);
        if (n === 0) throw new RunError(`recorded outcomes ${this.file}: shorter than when the run checked it`);
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    return buf;
  }

  // Checked when the file was: parsed again without the schema.
  parse(text: string): RecordedOutcomeLine {
    return JSON.parse(text) as RecordedOutcomeLine;
  }
}

/** A checked file's records, read from the file by their places. */
class RecordFile implements ImportedFile {
  private readonly reader: LineReader;

  constructor(
    file: string,
    stamp: { size: number; mtimeMs: number },
    private readonly places: RecordPlaces,
    readonly modelHashes: Record<string, string>,
    private readonly keyOf: KeyOf,
    bytes: Buffer | undefined,
  ) {
    this.reader = new LineReader(file, stamp, bytes);
  }

  record(model: string, key: string): RecordedOutcomeLine | undefined {
    const [from, to] = candidates(this.places, keyHash(model, key));
    for (let i = from; i < to; i++) {
      const r = this.reader.record(this.places, i);
      if (r.model === model && this.keyOf(r) === key) return r;
    }
    return undefined;
  }

  records(model: string, keys: readonly string[]): Map<string, RecordedOutcomeLine> {
    const { offset, length } = this.places;
    // Every candidate place, in file order, read in runs of nearby records.
    const wanted: { at: number; key: string }[] = [];
    for (const key of keys) {
      const [from, to] = candidates(this.places, keyHash(model, key));
      for (let i = from; i < to; i++) wanted.push({ at: i, key });
    }
    wanted.sort((x, y) => offset[x.at]! - offset[y.at]!);
    const found = new Map<string, RecordedOutcomeLine>();
    for (let s = 0; s < wanted.length; ) {
      const start = offset[wanted[s]!.at]!;
      let end = start + length[wanted[s]!.at]!;
      let e = s + 1;
      while (e < wanted.length) {
        const o = offset[wanted[e]!.at]!;
        if (o - end > READ_GAP || o + length[wanted[e]!.at]! - start > READ_SPAN) break;
        end = Math.max(end, o + length[wanted[e]!.at]!);
        e++;
      }
      const run = this.reader.read(start, end - start);
      for (let w = s; w < e; w++) {
        const { at, key } = wanted[w]!;
        const from = offset[at]! - start;
        const r = this.reader.parse(run.toString("utf8", from, from + length[at]!));
        if (r.model === model && this.keyOf(r) === key) found.set(key, r);
      }
      s = e;
    }
    return found;
  }
}

function statOrInputError(file: string): { size: number; mtimeMs: number } {
  try {
    const st = statSync(file);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `cannot read recorded outcomes (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      "check the path; relative paths resolve from the eval file's folder or the working directory",
    );
  }
}
