import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { rowAt } from "./block-buffer.ts";
import { type BlockMessage, type BlockReply, type BlockWriterInit, Slot, WriterState } from "./block-writer-state.ts";

// The block writer's thread (block-writer.ts starts it): its own connection to the store file,
// committing each block it is handed (rows in shared memory: block-buffer.ts) in one
// transaction, in the order handed. A block's failure is posted before the block counts as done:
// the host waits on the shared counters, synchronously, and reads the reply then.

const { path, insertSql, state: buffer, replies } = workerData as BlockWriterInit;
const state = new Int32Array(buffer);
/** Rows between two progress marks: the host's sign that a long block is still moving. */
const PROGRESS_EVERY = 512;

const done = (seq: number) => {
  Atomics.store(state, Slot.Done, seq);
  Atomics.notify(state, Slot.Done);
};
const replyOf = (seq: number, err: unknown): BlockReply => ({
  seq,
  message: err instanceof Error ? err.message : String(err),
  code: (err as { code?: unknown }).code === undefined ? undefined : String((err as { code?: unknown }).code),
});

// A thread that dies says so in the shared state and why on the reply port (both reach a host
// waiting synchronously, which no exit event would until its wait ended).
process.on("uncaughtExceptionMonitor", (err) => {
  replies.postMessage(replyOf(-1, err));
});
process.on("exit", () => {
  if (Atomics.load(state, Slot.Status) === WriterState.Closed) return;
  Atomics.store(state, Slot.Status, WriterState.Stopped);
  Atomics.notify(state, Slot.Done);
});

/** The writer connection's page cache, in KiB (SQLite's negative cache_size). */
const WRITER_CACHE_KIB = 256 * 1024;

let db: Database.Database | undefined;
let insert: Database.Statement<unknown[]> | undefined;
try {
  // The host created and migrated the file: a missing one is a store moved away, not a new store.
  db = new Database(path, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  // Per connection, like the host's: a commit in WAL mode waits for no fsync (checkpoints do).
  db.pragma("synchronous = NORMAL");
  // Inserts land at random places in the hash index: once the index outgrows SQLite's default
  // 2 MB page cache, every block reads most of its pages again. Up to 256 MB of them are kept
  // (filled only as pages are read): a 1M x 2 first run took 109 s instead of 122 s, for 260 MB
  // more peak RSS (1.30 GB).
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  insert = db.prepare(insertSql);
  Atomics.store(state, Slot.Status, WriterState.Ready);
} catch (err) {
  db?.close();
  db = undefined;
  replies.postMessage(replyOf(0, err));
  Atomics.store(state, Slot.Status, WriterState.Failed);
}
// Wakes a host waiting for a block handed over while the thread was starting.
Atomics.notify(state, Slot.Done);

/** A Buffer over the host's shared buffer, made again only when the host grew it. */
let view: { buffer: SharedArrayBuffer; bytes: Buffer } | undefined;
const bytesOf = (buffer: SharedArrayBuffer): Buffer => {
  if (view?.buffer !== buffer) view = { buffer, bytes: Buffer.from(buffer) };
  return view.bytes;
};

parentPort!.on("message", (m: BlockMessage) => {
  if (m.type === "close") {
    db?.close();
    Atomics.store(state, Slot.Status, WriterState.Closed);
    Atomics.notify(state, Slot.Done);
    parentPort!.close();
    return;
  }
  if (!db || !insert) return;
  const stmt = insert;
  const bytes = bytesOf(m.buffer);
  try {
    db.transaction(() => {
      let at = 0;
      for (let n = 1; n <= m.count; n++) {
        const { values, next } = rowAt(bytes, at);
        at = next;
        stmt.run(values);
        if (n % PROGRESS_EVERY === 0) Atomics.add(state, Slot.Progress, PROGRESS_EVERY);
      }
    })();
  } catch (err) {
    // Posted before the block counts as done: the host reads replies once it sees the count move.
    replies.postMessage(replyOf(m.seq, err));
  }
  done(m.seq);
});
