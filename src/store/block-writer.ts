import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { startModuleWorker } from "../core/module-worker.ts";
import { BlockBuffer } from "./block-buffer.ts";
import { type BlockMessage, type BlockReply, SLOTS, Slot, WriterState } from "./block-writer-state.ts";
import type { OutcomeRecord, RowValues } from "./outcome-row.ts";

// Commits blocks of outcomes nobody paid for (OutcomeStore.putManyBehind) on a worker thread with
// its own connection to the store file, so SQLite's insert work (most of a first run's store
// time) runs on another core while the calling thread goes on collecting and scoring. The thread
// starts at the first block big enough to pay for it (a thread and its connection take some tens
// of milliseconds); smaller blocks, in-memory stores (a second connection cannot open one) and a
// thread that could not start are written inline, as `putMany` does.
//
// Waiting is synchronous (`written`): callers flush when a run ends or fails, and
// must find every block committed when it returns. The thread's counters live in shared memory,
// so the calling thread waits on them with Atomics.wait (no event loop needed), in short slices
// that check the thread is still moving: a thread that stopped is an error, never a hang.

/** Blocks smaller than this are written inline: a thread's start costs more than it would save. */
export const WRITE_BEHIND_MIN_ROWS = 2048;
/** A starting thread that has not opened the store by then is given up: its block is written inline. */
const START_MS = 20_000;
/** A thread whose counters did not move for this long (a block, its commit) has stopped. */
const STALL_MS = 60_000;
/** One slice of a wait: how often the waiting thread looks at the writer's progress. */
const SLICE_MS = 250;

/** A block that was not committed: SQLite's error (or the thread's end), and its records, for the caller to hold again. */
interface Failure {
  error: Error;
  records: OutcomeRecord[];
}

export class BlockWriter {
  private worker: Worker | undefined;
  private state: Int32Array | undefined;
  private replies: MessagePort | undefined;
  private readonly buffer = new BlockBuffer();
  /** No thread for this store: an in-memory one, or a thread that could not start or stopped. */
  private inlineOnly: boolean;
  /** Why the thread stopped: its exit event (seen between waits) or its last words (block-writer-thread.ts). */
  private stopped: string | undefined;
  private seq = 0;
  /** The block handed over and not yet known committed (one at a time): where each record is in the buffer. */
  private inFlight: { seq: number; end: number; at: Map<string, number> } | undefined;
  /** SQLite's errors for blocks the thread failed, by block. */
  private readonly refused = new Map<number, Error>();
  private readonly failures = new Map<number, Failure>();

  constructor(
    private readonly path: string,
    private readonly insertSql: string,
    /** The store's own transaction (`putMany`). */
    private readonly inline: (records: readonly OutcomeRecord[]) => void,
    /** A row handed over, as the store reads it back (RowReader). */
    private readonly recordOf: (row: RowValues) => OutcomeRecord,
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
    if (this.inFlight) this.waitFor(this.inFlight.seq);
    if (this.inlineOnly || records.length < this.minRows || !this.started()) {
      this.inline(records);
      return seq;
    }
    const { end, at } = this.buffer.encode(records);
    this.inFlight = { seq, end, at };
    const message: BlockMessage = { type: "block", seq, buffer: this.buffer.shared, count: records.length, end };
    this.worker!.postMessage(message);
    return seq;
  }

  /**
   * Returns once block `seq` is committed. If it was not, `holdAgain` gets its records back and
   * what failed it is thrown: SQLite's error, as `putMany` would have thrown it.
   */
  written(seq: number, holdAgain: (records: OutcomeRecord[]) => void): void {
    if (this.inFlight?.seq === seq) this.waitFor(seq);
    const failure = this.failures.get(seq);
    if (failure === undefined) return;
    this.failures.delete(seq);
    holdAgain(failure.records);
    throw failure.error;
  }

  /** A record of a block handed over and not yet known committed (nor taken back), else undefined. */
  behind(hash: string): OutcomeRecord | undefined {
    const offset = this.inFlight?.at.get(hash);
    if (offset !== undefined) return this.recordOf(this.buffer.row(offset));
    for (const failure of this.failures.values()) {
      const record = failure.records.find((r) => r.hash === hash);
      if (record) return record;
    }
    return undefined;
  }

  /** Whether `behind` would find the hash (without reading the record). */
  holds(hash: string): boolean {
    return this.inFlight?.at.has(hash) === true || (this.failures.size > 0 && this.behind(hash) !== undefined);
  }

  /** Waits for the block handed over (its failure is its caller's to raise) and ends the thread. */
  close(): void {
    const { worker, state } = this;
    if (!worker || !state) return;
    if (this.inFlight) this.waitFor(this.inFlight.seq);
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

  /** Waits in slices until block `seq` (the one in flight) is done; a thread that never started or stopped is handled here. */
  private waitFor(seq: number): void {
    const state = this.state!;
    const begun = Date.now();
    let moved = begun;
    let progress = -1;
    for (;;) {
      const done = Atomics.load(state, Slot.Done);
      this.readReplies();
      if (done >= seq) {
        const error = this.refused.get(seq);
        this.refused.delete(seq);
        if (error) this.failures.set(seq, { error, records: this.takeBack() });
        this.inFlight = undefined;
        return;
      }
      const status = Atomics.load(state, Slot.Status);
      // A thread that never opened the store (it cannot see the file, a broken install): as if none started.
      const neverStarted =
        status === WriterState.Starting && (this.stopped !== undefined || Date.now() - begun > START_MS);
      if (status === WriterState.Failed || neverStarted) {
        this.writeInline(seq);
        return;
      }
      if (status === WriterState.Stopped || this.stopped !== undefined) {
        this.fail(seq, `the writer thread stopped (${this.stopped ?? "it exited"})`);
        return;
      }
      const now = Atomics.load(state, Slot.Progress) + done;
      if (now !== progress) {
        progress = now;
        moved = Date.now();
      } else if (Date.now() - moved > STALL_MS) {
        this.fail(seq, `the writer thread made no progress for ${STALL_MS / 1000} s`);
        return;
      }
      Atomics.wait(state, Slot.Done, done, SLICE_MS);
    }
  }

  /** The thread's failures so far, each kept for its block. */
  private readReplies(): void {
    for (let m = this.replies && receiveMessageOnPort(this.replies); m; m = receiveMessageOnPort(this.replies!)) {
      const reply = m.message as BlockReply;
      if (reply.seq === -1) this.stopped ??= reply.message;
      // SQLite's own error class, message and code: what the same commit would have thrown inline.
      if (reply.seq > 0)
        this.refused.set(reply.seq, new Database.SqliteError(reply.message, reply.code ?? "SQLITE_ERROR"));
    }
  }

  /** The block in flight, read back from the buffer, and no longer in flight. */
  private takeBack(): OutcomeRecord[] {
    const records = this.buffer.rows(this.inFlight!.end).map(this.recordOf);
    this.inFlight = undefined;
    return records;
  }

  /** The thread never opened the store: the block is written here, and the thread let go. */
  private writeInline(seq: number): void {
    this.giveUp();
    const records = this.takeBack();
    try {
      this.inline(records);
    } catch (err) {
      this.failures.set(seq, { error: err instanceof Error ? err : new Error(String(err)), records });
    }
  }

  /** The thread stopped with the block unwritten: it fails (its caller holds it again), later blocks go inline. */
  private fail(seq: number, why: string): void {
    this.giveUp();
    const error = new Error(
      `outcomes for ${this.path} were not committed: ${why}; they are still held and written by the next flush`,
    );
    this.failures.set(seq, { error, records: this.takeBack() });
  }

  private giveUp(): void {
    this.inlineOnly = true;
    void this.worker?.terminate();
  }
}
