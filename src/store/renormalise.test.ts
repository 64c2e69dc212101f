import { describe, expect, it } from "vitest";
import type { RawUsage, Usage } from "../core/types.ts";
import { type OutcomeRecord, OutcomeStore } from "./outcome-store.ts";
import { renormaliseStore } from "./renormalise.ts";

const usage = (noCache: number, cacheRead: number, text: number): Usage => ({
  input: { noCache, cacheRead, cacheWrite5m: 0, cacheWrite1h: 0 },
  output: { text, reasoning: 0 },
});

const record = (hash: string, modelId: string, stored: Usage | null, raw: RawUsage | null): OutcomeRecord => ({
  hash,
  modelId,
  snapshot: `${modelId}-snap`,
  identity: { itemId: `item-${hash}`, role: "answer", sample: 0, parents: [] },
  request: { messages: [{ role: "user", content: "hi" }], maxTokens: 5 },
  output: "hello",
  usage: stored,
  rawUsage: raw,
  usageEstimated: false,
  recordedCostUsd: null,
  latencyMs: 1,
  error: null,
  errorCode: null,
  logprobs: null,
  createdAt: "2026-11-26T00:00:00.000Z",
  serviceTier: null,
});

// A toy normaliser: {p, c, o} -> noCache p - c, cacheRead c, output o; refuses anything else.
const normalise = (raw: RawUsage): Usage => {
  const u = raw.usage as { p?: number; c?: number; o?: number };
  if (typeof u.p !== "number" || typeof u.c !== "number" || typeof u.o !== "number") throw new Error("not {p, c, o}");
  return usage(u.p - u.c, u.c, u.o);
};

function seeded(): OutcomeStore {
  const store = OutcomeStore.open(":memory:");
  const raw = (p: number, c: number, o: number): RawUsage => ({ format: "openai", usage: { p, c, o } });
  store.put(record("a1", "m:a", usage(100, 0, 5), raw(100, 0, 5))); // already right
  store.put(record("a2", "m:a", usage(120, 0, 5), raw(120, 20, 5))); // cached counted as uncached: wrong
  store.put(record("b1", "m:b", usage(7, 0, 1), raw(9, 2, 1))); // wrong
  store.put(record("b2", "m:b", usage(1, 0, 1), { format: "openai", usage: { broken: true } })); // unreadable
  store.put(record("c1", "m:c", usage(1, 0, 1), null)); // no raw usage kept (the sim): never touched
  return store;
}

describe("renormaliseStore", () => {
  it("re-derives usage from raw usage, rewrites what changed and reports it per model with examples", () => {
    const store = seeded();
    const report = renormaliseStore(store, normalise);
    expect(report).toMatchObject({ checked: 4, changed: 2, unreadable: 1, dryRun: false });
    expect(report.byModel).toEqual({
      "m:a": { checked: 2, changed: 1, unreadable: 0 },
      "m:b": { checked: 2, changed: 1, unreadable: 1 },
    });
    expect(report.examples).toEqual([
      { hash: "a2", model: "m:a", itemId: "item-a2", before: usage(120, 0, 5), after: usage(100, 20, 5) },
      { hash: "b1", model: "m:b", itemId: "item-b1", before: usage(7, 0, 1), after: usage(7, 2, 1) },
    ]);
    expect(report.unreadableExamples).toEqual([
      { hash: "b2", model: "m:b", itemId: "item-b2", error: "not {p, c, o}" },
    ]);
    expect(store.get("a2")?.usage).toEqual(usage(100, 20, 5));
    expect(store.get("b1")?.usage).toEqual(usage(7, 2, 1));
    expect(store.get("b2")?.usage).toEqual(usage(1, 0, 1));
    expect(store.get("c1")?.usage).toEqual(usage(1, 0, 1));
    // A second pass finds nothing left to fix.
    expect(renormaliseStore(store, normalise)).toMatchObject({ checked: 4, changed: 0, unreadable: 1 });
    store.close();
  });

  it("a dry run reports the same and rewrites nothing", () => {
    const store = seeded();
    const report = renormaliseStore(store, normalise, { dryRun: true });
    expect(report).toMatchObject({ checked: 4, changed: 2, unreadable: 1, dryRun: true });
    expect(store.get("a2")?.usage).toEqual(usage(120, 0, 5));
    store.close();
  });
});
