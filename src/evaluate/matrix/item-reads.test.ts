import { describe, expect, it, vi } from "vitest";
import { collectHarness, testItems, testRequest } from "../../../devkit/collect-harness/collect-harness.ts";
import { RecordingProvider, reply } from "../../../devkit/collect-harness/recording-provider.ts";
import type { Item } from "../../core/types.ts";
import { createScorer } from "../../scoring/index.ts";
import { OutcomeStore } from "../../store/outcome-store.ts";
import { COLLECT_WINDOW, collectAnswers } from "./answer-matrix.ts";

// Issue 13: collection reads stored answers by the items' ids (their rows side by side in the item
// index) rather than by each hash. Served answers must be the ones a read by hash serves, a paid
// model's answer must never be missed (so paid for twice), and a store whose items hold mostly
// other outcomes is read by hash instead.

const quiet = { start() {}, tick() {}, stop() {} };
const render = (item: Item) => testRequest(item);
const exact = createScorer("exact");
const items = testItems(COLLECT_WINDOW + 40).map((item) => ({ ...item, expected: "y" }));
const answering = (offline: boolean) =>
  new RecordingProvider({ offline, script: (c) => reply(c.request, { text: c.itemId.endsWith("3") ? "x" : "y" }) });

async function filled(offline: boolean): Promise<OutcomeStore> {
  const store = OutcomeStore.open(":memory:");
  const h = collectHarness({ models: { m: answering(offline) }, store, offline });
  await collectAnswers(h.caller, items, ["m"], render, exact, quiet);
  h.caller.flush();
  return store;
}

describe("stored answers read by item", () => {
  it("returns what a read by hash returns, and counts the items' other rows without decoding them", async () => {
    const store = await filled(true);
    const h = collectHarness({ models: { m: answering(true) }, store, offline: true });
    const some = items.slice(0, 300);
    const hashes = some.map((item) => h.caller.hashOf(item, "m", testRequest(item)));
    const byItem = store.getManyOfItems(
      some.map((item) => item.id),
      hashes.filter((_, i) => i % 3 !== 0),
    );
    const byHash = store.getMany(hashes.filter((_, i) => i % 3 !== 0));
    expect(byItem.found).toEqual(byHash);
    expect(byItem.found.size).toBe(200);
    expect(byItem.rows).toBe(300);
  });

  it("serves a repeat run the same answers as before, without a call", async () => {
    const store = await filled(true);
    const provider = answering(true);
    const h = collectHarness({ models: { m: provider }, store, offline: true });
    const spy = vi.spyOn(store, "getManyOfItems");
    const m = await collectAnswers(h.caller, items, ["m"], render, exact, quiet);
    expect(provider.calls).toHaveLength(0);
    expect(h.stats.fromStore).toBe(items.length);
    expect(spy).toHaveBeenCalled();
    expect([...m.score[0]!].filter((s) => s === 0)).toHaveLength(items.filter((i) => i.id.endsWith("3")).length);
  });

  it("confirms a paid model's absences by hash: an answer stored under another item id is served, not paid again", async () => {
    const store = await filled(false);
    // The same answer, its item id column altered: a read by item does not find it.
    const target = items[5]!;
    const h0 = collectHarness({ models: { m: answering(false) }, store });
    const hash = h0.caller.hashOf(target, "m", testRequest(target));
    const record = store.get(hash)!;
    store.put({ ...record, identity: { ...record.identity, itemId: "elsewhere" } });
    const provider = answering(false);
    const h = collectHarness({ models: { m: provider }, store });
    await collectAnswers(h.caller, items, ["m"], render, exact, quiet);
    expect(provider.calls).toHaveLength(0);
    expect(h.stats.fromStore).toBe(items.length);
  });

  it("reads by hash once the items' rows are mostly other outcomes", async () => {
    const store = await filled(true);
    // Two other models' answers to every item: three rows an item, one of them wanted.
    for (const other of ["o1", "o2"]) {
      const h = collectHarness({ models: { [other]: answering(true) }, store, offline: true });
      await collectAnswers(h.caller, items, [other], render, exact, quiet);
      h.caller.flush();
    }
    const h = collectHarness({ models: { m: answering(true) }, store, offline: true });
    const byItem = vi.spyOn(store, "getManyOfItems");
    const byHash = vi.spyOn(store, "getMany");
    await collectAnswers(h.caller, items, ["m"], render, exact, quiet);
    expect(h.stats.fromStore).toBe(items.length);
    expect(byItem).toHaveBeenCalledTimes(1);
    expect(byHash.mock.calls.length).toBeGreaterThan(1);
  });
});
