import { mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { committedRows } from "../../devkit/collect-harness/committed-rows.ts";
import { type OutcomeRecord, OutcomeStore } from "./outcome-store.ts";

// Issue 13: offline answers are committed on a writer thread with its own connection (block-writer.ts).
// These run the real thread (from source, as the CLI does in a checkout) against real store files.

const record = (hash: string, itemId = hash): OutcomeRecord => ({
  hash,
  modelId: "replay:m",
  snapshot: "replay-m",
  identity: { itemId, role: "answer", sample: 0, parents: [] },
  request: { messages: [{ role: "user", content: `question ${hash}` }], maxTokens: 5 },
  output: `answer ${hash}`,
  usage: { input: { noCache: 3, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, output: { text: 1, reasoning: 0 } },
  usageEstimated: false,
  recordedCostUsd: null,
  latencyMs: 1,
  error: null,
  errorCode: null,
  logprobs: null,
  createdAt: "2026-11-30T00:00:00.000Z",
  serviceTier: null,
});
const block = (from: number, n: number) => Array.from({ length: n }, (_, i) => record(`h${from + i}`));

const opened: OutcomeStore[] = [];
/** What `written` gave back to hold again: nothing, where a block was committed. */
let heldAgain: OutcomeRecord[] = [];
const keep = (records: OutcomeRecord[]) => {
  heldAgain = records;
};
const storeAt = (minRows = 10) => {
  const path = join(mkdtempSync(join(tmpdir(), "rg-writer-")), "o.sqlite");
  const store = OutcomeStore.open(path, { writeBehindMinRows: minRows });
  opened.push(store);
  return { store, path };
};
const threadOf = (store: OutcomeStore) =>
  (store as unknown as { writer: { worker: Worker | undefined } }).writer.worker;

afterEach(() => {
  heldAgain = [];
  for (const store of opened.splice(0)) store.close();
});

describe("the block writer thread", () => {
  it("commits a handed-over block on its own thread; written returns only once another connection sees it", () => {
    const { store, path } = storeAt();
    const first = store.putManyBehind(block(0, 500));
    const second = block(500, 500);
    // The first block is written on the thread: its own connection, not this one. Until its
    // commit is known, the store reads its records back from what was handed over.
    expect(threadOf(store)).toBeDefined();
    expect(store.holdsBehind("h42")).toBe(true);
    expect(store.behind("h42")).toEqual(record("h42"));
    store.written(first, keep);
    expect(store.holdsBehind("h42")).toBe(false);
    expect(store.behind("h42")).toBeUndefined();
    expect(committedRows(path)).toBe(500);
    store.written(store.putManyBehind(second), keep);
    expect(committedRows(path)).toBe(1000);
    expect(store.get("h999")).toEqual(second[499]);
  });

  it("stores each record exactly as put does: every field, any text, a block bigger than the first buffer", () => {
    const { store } = storeAt();
    const inline = OutcomeStore.open(":memory:");
    opened.push(inline);
    // 5,000 characters of 1-, 2-, 3- and 4-byte UTF-8 each: some 40 MB of block, past the 8 MB first buffer.
    const text = (i: number) => `${i} é漢🙂 "quoted" \\ \u0000`.repeat(250);
    const records = block(0, 2000).map((r, i) => ({
      ...r,
      identity: { ...r.identity, sample: i % 3, parents: i % 2 ? [`p${i}`] : [] },
      output: text(i),
      rawUsage: { format: "openai", usage: { prompt_tokens: i, nested: { x: [1, 2.5, null] } } },
      logprobs: { mean: -0.25, min: -3.5 },
      recordedCostUsd: i % 2 ? 0.000123 : null,
      latencyMs: i + 0.125,
      error: i % 5 === 0 ? "upstream said no" : null,
      errorCode: i % 5 === 0 ? "rate_limited" : null,
      redacted: i % 7 === 0,
      tries: 1 + (i % 4),
      serviceTier: i % 2 ? "flex" : null,
    })) as OutcomeRecord[];
    store.written(store.putManyBehind(records), keep);
    inline.putMany(records);
    expect(threadOf(store)).toBeDefined();
    for (const i of [0, 1, 5, 7, 999, 1999]) expect(store.get(`h${i}`)).toEqual(inline.get(`h${i}`));
    expect(store.get("h7")?.output).toBe(text(7));
  });

  it("writes small blocks inline, without starting a thread", () => {
    const { store, path } = storeAt(100);
    store.putManyBehind(block(0, 99));
    expect(threadOf(store)).toBeUndefined();
    expect(committedRows(path)).toBe(99);
  });

  it("writes every block of an in-memory store inline (a second connection cannot open it)", () => {
    const store = OutcomeStore.open(":memory:", { writeBehindMinRows: 1 });
    opened.push(store);
    store.putManyBehind(block(0, 50));
    expect(threadOf(store)).toBeUndefined();
    expect(store.count()).toBe(50);
  });

  it("raises SQLite's own error for a block the thread failed to commit, and commits none of it", () => {
    const { store, path } = storeAt();
    const db = new Database(path);
    db.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON outcomes WHEN NEW.item_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
    );
    const records = [...block(0, 20), record("x", "bad")];
    const ticket = store.putManyBehind(records);
    expect(() => store.written(ticket, keep)).toThrow(
      expect.objectContaining({
        name: "SqliteError",
        code: "SQLITE_CONSTRAINT_TRIGGER",
        message: "refused by the test",
      }),
    );
    expect(committedRows(path)).toBe(0);
    // The block is given back to be written again, exactly; the thread goes on with the next.
    expect(heldAgain).toEqual(records);
    db.exec("DROP TRIGGER refuse");
    db.close();
    store.written(store.putManyBehind(heldAgain), keep);
    expect(committedRows(path)).toBe(21);
  });

  it("writes the block inline when the thread cannot open the store", () => {
    const { store, path } = storeAt();
    // This connection keeps the file open; the thread, opening it by name, finds nothing there.
    const moved = `${path}.moved`;
    renameSync(path, moved);
    const ticket = store.putManyBehind(block(0, 30));
    store.written(ticket, keep);
    expect(store.count()).toBe(30);
    renameSync(moved, path);
    expect(committedRows(path)).toBe(30);
  });

  it("a thread that stopped is an error for its block, not a hang; later blocks are written inline", async () => {
    const { store, path } = storeAt();
    store.written(store.putManyBehind(block(0, 20)), keep);
    await threadOf(store)!.terminate();
    const lost = store.putManyBehind(block(20, 20));
    expect(() => store.written(lost, keep)).toThrow(/were not committed: the writer thread stopped/);
    expect(heldAgain).toEqual(block(20, 20));
    store.written(store.putManyBehind(heldAgain), keep);
    expect(committedRows(path)).toBe(40);
  });
});
