import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { startModuleWorker } from "../core/module-worker.ts";
import { type BlockMessage, type BlockReply, SLOTS, Slot, WriterState } from "./block-writer-state.ts";
import type { OutcomeRecord } from "./outcome-row.ts";

// Commits blocks of outcomes nobody paid for (OutcomeStore.putManyBehind) on a worker thread with
// its own connection to the store file, so SQLite's insert work (most of a first run's store
// time) runs on another core while the calling thread goes on collecting and scoring. The thread
// starts at the first block big enough to pay for it (a thread and its connection take some tens
// of milliseconds); smaller blocks, in-memory stores (a second connection cannot open one) and a
// thread that could not start are written inline, as `putMany` does.
//
// Waiting is synchronous (`written`): callers flush at a phase's end and before a run exits, and
// must find every block committed when it returns. The thread's counters live in shared memory,
// so the calling thread waits on them with Atomics.wait (no event loop needed), in short slices
// that check the thread is still moving: a thread that stopped is an error, never a hang.

/** Blocks smaller than this are written inline: a thread's start costs more than it would save. */
export const WRITE_BEHIND_MIN_ROWS = 2048;
/** A starting thread that has not opened the store by then is given up: its blocks are written inline. */
const START_MS = 20_000;
/** A thread whose counters did not move for this long (a block, its commit) has stopped. */
const STALL_MS = 60_000;
/** The shared buffer's first size: about 7,000 rows of a typical answer; it grows to the biggest block. */
const FIRST_BUFFER_BYTES = 8 << 20;
/** One slice of a wait: how often the waiting thread looks at the writer's progress. */
const SLICE_MS = 250;

export class BlockWriter {
  private worker: Worker | undefined;
  private state: Int32Array | undefined;
  private replies: MessagePort | undefined;
  /** Where blocks are handed over (`encode`), shared with the thread. */
  private buffer: SharedArrayBuffer | undefined;
  private bytes: Buffer | undefined;
  /** No thread for this store: an in-memory one, or a thread that could not start or stopped. */
  private inlineOnly: boolean;
  /** Why the thread stopped, seen by its exit event (between waits: the event loop ran). */
  private stopped: string | undefined;
  private seq = 0;
  /** Blocks handed over and not yet finished, by number: written inline if the thread never starts. */
  private readonly pending = new Map<number, readonly OutcomeRecord[]>();
  private readonly failures = new Map<number, Error>();

  constructor(
    private readonly path: string,
    private readonly insertSql: string,
    /** The store's own transaction (`putMany`). */
    private readonly inline: (records: readonly OutcomeRecord[]) => void,
    private readonly minRows: number = WRITE_BEHIND_MIN_ROWS,
  ) {
    this.inlineOnly = path === ":memory:";
  }

  /**
   * Hands a block over and returns its number for `written`; a small block, or one with no thread
   * to take it, is written at once (its failure thrown here). The block before it is waited for
   * first: one block is written while the next fills, never more.
   */
  write(records: readonly OutcomeRecord[]): number {
    const seq = ++this.seq;
    if (records.length === 0) return seq;
    if (this.inlineOnly || records.length < this.minRows || !this.started()) {
      this.inline(records);
      return seq;
    }
    const last = this.lastPending();
    if (last > 0) this.waitFor(last);
    if (this.inlineOnly) {
      // The thread stopped or never started while the block before was waited for.
      this.inline(records);
      return seq;
    }
    const end = this.encode(records);
    this.pending.set(seq, records);
    this.worker!.postMessage({
      type: "block",
      seq,
      buffer: this.buffer!,
      count: records.length,
      end,
    } satisfies BlockMessage);
    return seq;
  }

  /**
   * Writes the block into the shared buffer, each record as its JSON after its length. Not a
   * structured clone of the records or of their rows: that costs this thread about as much as the
   * inserts it would spare, and each block a fresh allocation of its size, while the buffer is
   * allocated once (grown to the biggest block) and the thread is idle while it is written.
   */
  private encode(records: readonly OutcomeRecord[]): number {
    let at = 0;
    for (const record of records) {
      const json = JSON.stringify(record);
      // At most 3 bytes of UTF-8 per UTF-16 unit: room for that, so a write is never cut short.
      const room = 4 + 3 * json.length;
      if ((this.bytes?.length ?? 0) - at < room) this.grow(at, at + room);
      const n = this.bytes!.write(json, at + 4, "utf8");
      this.bytes!.writeUInt32LE(n, at);
      at += 4 + n;
    }
    return at;
  }

  /** A buffer of at least `need` bytes (twice the last, at least), holding the first `used` of the old one. */
  private grow(used: number, need: number): void {
    const old = this.bytes;
    const buffer = new SharedArrayBuffer(Math.max(need, 2 * (old?.length ?? 0), FIRST_BUFFER_BYTES));
    const bytes = Buffer.from(buffer);
    if (old) old.copy(bytes, 0, 0, used);
    this.buffer = buffer;
    this.bytes = bytes;
  }

  private lastPending(): number {
    let last = 0;
    for (const seq of this.pending.keys()) last = Math.max(last, seq);
    return last;
  }

  /** Returns once block `seq` is committed; throws what failed it (SQLite's error, as `putMany` would). */
  written(seq: number): void {
    if (this.pending.has(seq)) this.waitFor(seq);
    const failure = this.failures.get(seq);
    if (failure === undefined) return;
    this.failures.delete(seq);
    throw failure;
  }

  /** Waits for the blocks handed over (their failures are their callers' to raise) and ends the thread. */
  close(): void {
    const { worker, state } = this;
    if (!worker || !state) return;
    const last = this.lastPending();
    if (last > 0) this.waitFor(last);
    if (!this.inlineOnly) {
      worker.postMessage({ type: "close" } satisfies BlockMessage);
      // The thread's connection closed first, so the store's own close (the last one) can clear the WAL.
      const until = Date.now() + 5000;
      while (Atomics.load(state, Slot.Status) !== WriterState.Closed && Date.now() < until) {
        Atomics.wait(state, Slot.Done, Atomics.load(state, Slot.Done), SLICE_MS);
      }
    }
    void worker.terminate();
    this.replies?.close();
    this.worker = undefined;
  }

  /** Starts the thread on first use; false when it cannot start (the block is written inline). */
  private started(): boolean {
    if (this.worker) return true;
    try {
      const state = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
      const { port1, port2 } = new MessageChannel();
      const worker = startModuleWorker(import.meta.url, "block-writer-thread", {
        workerData: { path: this.path, insertSql: this.insertSql, state, replies: port1 },
        transferList: [port1],
      });
      // Never what keeps a process alive: the store's close ends it.
      worker.unref();
      // Without an "error" listener a thread's uncaught error would be rethrown in this one.
      worker.on("error", (err) => {
        this.stopped ??= err.message;
      });
      worker.on("exit", (code) => {
        this.stopped ??= `exit code ${code}`;
      });
      this.worker = worker;
      this.state = new Int32Array(state);
      this.replies = port2;
      return true;
    } catch {
      this.inlineOnly = true;
      return false;
    }
  }

  /** Waits in slices until block `seq` is done; a thread that never started or stopped is handled here. */
  private waitFor(seq: number): void {
    const state = this.state!;
    let moved = Date.now();
    let progress = -1;
    const begun = Date.now();
    for (;;) {
      const done = Atomics.load(state, Slot.Done);
      this.readReplies();
      if (done >= seq) break;
      const status = Atomics.load(state, Slot.Status);
      // A thread that never opened the store (it cannot see the file, a broken install): as if none started.
      const neverStarted =
        status === WriterState.Starting && (this.stopped !== undefined || Date.now() - begun > START_MS);
      if (status === WriterState.Failed || neverStarted) {
        this.writeInline();
        return;
      }
      if (this.stopped !== undefined) {
        this.fail(`the writer thread stopped (${this.stopped})`);
        return;
      }
      const now = Atomics.load(state, Slot.Progress) + done;
      if (now !== progress) {
        progress = now;
        moved = Date.now();
      } else if (Date.now() - moved > STALL_MS) {
        this.fail(`the writer thread made no progress for ${STALL_MS / 1000} s`);
        return;
      }
      Atomics.wait(state, Slot.Done, done, SLICE_MS);
    }
    for (const key of this.pending.keys()) if (key <= seq) this.pending.delete(key);
  }

  /** The thread's failures so far, each kept for its block's `written`. */
  private readReplies(): void {
    for (let m = this.replies && receiveMessageOnPort(this.replies); m; m = receiveMessageOnPort(this.replies!)) {
      const reply = m.message as BlockReply;
      if (reply.seq === 0) continue;
      // SQLite's own error class, message and code: what the same commit would have thrown inline.
      this.failures.set(reply.seq, new Database.SqliteError(reply.message, reply.code ?? "SQLITE_ERROR"));
    }
  }

  /** The thread never opened the store: its blocks are written here, in order, and the thread is let go. */
  private writeInline(): void {
    this.giveUp();
    for (const [seq, records] of this.pending) {
      try {
        this.inline(records);
      } catch (err) {
        this.failures.set(seq, err instanceof Error ? err : new Error(String(err)));
      }
    }
    this.pending.clear();
  }

  /** The thread stopped with blocks unwritten: each fails (its caller keeps the block), later blocks go inline. */
  private fail(why: string): void {
    this.giveUp();
    for (const seq of this.pending.keys()) {
      this.failures.set(
        seq,
        new Error(
          `outcomes for ${this.path} were not committed: ${why}; they are still held and written by the next flush`,
        ),
      );
    }
    this.pending.clear();
  }

  private giveUp(): void {
    this.inlineOnly = true;
    void this.worker?.terminate();
  }
}
