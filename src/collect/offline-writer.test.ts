import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { collectHarness, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import { committedRows } from "../../devkit/collect-harness/committed-rows.ts";
import { RecordingProvider, reply } from "../../devkit/collect-harness/recording-provider.ts";
import { OutcomeStore } from "../store/outcome-store.ts";

// Issue 13: a block of offline answers is committed on the store's writer thread while the run
// goes on. The run serves those answers from memory until the commit is known, `flush` returns
// only once it is, and a failed commit raises at the flush with the block still held.

const opened: OutcomeStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

/** A file store whose blocks of 10 rows or more go to the writer thread, and a run offline on it. */
function run() {
  const path = join(mkdtempSync(join(tmpdir(), "rg-offline-writer-")), "o.sqlite");
  const store = OutcomeStore.open(path, { writeBehindMinRows: 10 });
  opened.push(store);
  const provider = new RecordingProvider({ offline: true, script: (c) => reply(c.request, { text: `a ${c.itemId}` }) });
  // The block's time is far off: only a full block (10 answers) is handed over.
  const h = collectHarness({ models: { m: provider }, store, offline: true, offlineBlock: { rows: 10, ms: 60_000 } });
  return { ...h, provider, path };
}

describe("offline answers on the writer thread", () => {
  it("are served from memory while their block is being written, and committed when flush returns", async () => {
    const { caller, provider, path } = run();
    const items = testItems(12);
    // Another connection holds the write lock: the thread's commit waits behind it.
    const lock = new Database(path);
    lock.exec("BEGIN IMMEDIATE");
    for (const item of items.slice(0, 10)) await caller.call(item, "m", testRequest(item));
    expect(committedRows(path)).toBe(0);
    // The block handed over is not in the store yet: asked again, it is answered from memory.
    const again = await caller.call(items[3]!, "m", testRequest(items[3]!));
    expect(again.text).toBe("a q3");
    expect(provider.calls).toHaveLength(10);
    for (const item of items.slice(10)) await caller.call(item, "m", testRequest(item));
    lock.exec("COMMIT");
    lock.close();
    caller.flush();
    expect(committedRows(path)).toBe(12);
    // ...and from the store after the commit, still without a call.
    expect((await caller.call(items[3]!, "m", testRequest(items[3]!))).text).toBe("a q3");
    expect(provider.calls).toHaveLength(12);
  });

  it("a commit the thread could not make is raised by flush, and the block is written by the next", async () => {
    const { caller, path } = run();
    const db = new Database(path);
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON outcomes BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const items = testItems(15);
    for (const item of items) await caller.call(item, "m", testRequest(item));
    expect(() => caller.flush()).toThrow(expect.objectContaining({ code: "SQLITE_CONSTRAINT_TRIGGER" }));
    expect(committedRows(path)).toBe(0);
    db.exec("DROP TRIGGER refuse");
    db.close();
    caller.flush();
    expect(committedRows(path)).toBe(15);
  });
});
