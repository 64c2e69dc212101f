import type { MessagePort } from "node:worker_threads";

// What the block writer's host (block-writer.ts) and its thread (block-writer-thread.ts) share:
// the counters both read without a message (the host waits on them synchronously, with
// Atomics.wait, where no message could be delivered) and the messages between them.

/** Int32 slots of the shared state. */
export const Slot = {
  /** The last block the thread finished, committed or failed (blocks are numbered from 1). */
  Done: 0,
  /** WriterState. */
  Status: 1,
  /** Rows inserted so far: moves while a long block is written. */
  Progress: 2,
} as const;
export const SLOTS = 3;

/** Failed: the thread could not open the store. Stopped: it died after it had (an uncaught error). */
export const WriterState = { Starting: 0, Ready: 1, Failed: 2, Closed: 3, Stopped: 4 } as const;

export interface BlockWriterInit {
  path: string;
  insertSql: string;
  state: SharedArrayBuffer;
  /** The thread's failures, read by the host with receiveMessageOnPort while it waits. */
  replies: MessagePort;
}

/** A block: `count` rows laid out as block-buffer.ts writes them, in `buffer` up to `end`. */
export type BlockMessage =
  | { type: "block"; seq: number; buffer: SharedArrayBuffer; count: number; end: number }
  | { type: "close" };

/** A block that failed, as SQLite said it; seq 0: the thread could not open the store; -1: what killed it. */
export interface BlockReply {
  seq: number;
  message: string;
  code: string | undefined;
}
