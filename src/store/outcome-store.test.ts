import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "./migrations.ts";
import { type OutcomeRecord, OutcomeStore } from "./outcome-store.ts";

const record = (hash: string, over: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  hash,
  modelId: "sim:cheap",
  snapshot: "sim-cheap-2026-11",
  identity: { itemId: "a", role: "answer", sample: 0, parents: [] },
  request: { messages: [{ role: "user", content: "hi" }], maxTokens: 5 },
  output: "hello",
  usage: { input: { noCache: 3, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, output: { text: 1, reasoning: 0 } },
  usageEstimated: false,
  recordedCostUsd: null,
  latencyMs: 12.5,
  error: null,
  errorCode: null,
  logprobs: { mean: -0.1, min: -1.2 },
  createdAt: "2026-11-26T00:00:00.000Z",
  serviceTier: null,
  ...over,
});

describe("OutcomeStore", () => {
  it("round-trips a record exactly, in WAL mode, at the latest schema version", () => {
    const path = join(mkdtempSync(join(tmpdir(), "rg-store-")), "nested", "o.sqlite");
    const store = OutcomeStore.open(path);
    store.put(record("h1"));
    expect(store.get("h1")).toEqual(record("h1"));
    expect(store.get("missing")).toBeUndefined();
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    store.close();
    const raw = new Database(path);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("keeps what was written across a reopen (durable as soon as put returns)", () => {
    const path = join(mkdtempSync(join(tmpdir(), "rg-store-")), "o.sqlite");
    const a = OutcomeStore.open(path);
    a.put(record("h1"));
    a.put(record("h2", { error: "rate limited", errorCode: "rate_limited", usage: null, output: "" }));
    a.close();
    const b = OutcomeStore.open(path);
    expect(b.count()).toBe(2);
    expect(b.get("h2")?.error).toBe("rate limited");
    expect(b.get("h2")?.usage).toBeNull();
    b.close();
  });

  it("keeps the redacted flag, and migrates a version-3 store with its rows unflagged", () => {
    const path = join(mkdtempSync(join(tmpdir(), "rg-store-")), "o.sqlite");
    const raw = new Database(path);
    for (const m of MIGRATIONS.slice(0, 3)) raw.exec(m);
    raw.pragma("user_version = 3");
    raw
      .prepare(
        `INSERT INTO outcomes VALUES ('old', 'sim:cheap', 's', 'a', 'answer', 0, '[]', '{"messages":[],"maxTokens":5}',
          'hello', NULL, 0, NULL, 1, NULL, NULL, NULL, '2026-01-01T00:00:00.000Z', NULL)`,
      )
      .run();
    raw.close();
    const store = OutcomeStore.open(path);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.get("old")?.redacted).toBeUndefined();
    store.put(record("h1", { output: "the key is [redacted key]", redacted: true }));
    expect(store.get("h1")).toEqual(record("h1", { output: "the key is [redacted key]", redacted: true }));
    store.close();
  });

  it("keeps a provider's raw usage beside the normalised one (schema 7, after the claims of 5 and the fine-tuning jobs of 6), and migrates a version-4 store with none", () => {
    const path = join(mkdtempSync(join(tmpdir(), "rg-store-")), "o.sqlite");
    const raw = new Database(path);
    for (const m of MIGRATIONS.slice(0, 4)) raw.exec(m);
    raw.pragma("user_version = 4");
    raw
      .prepare(
        `INSERT INTO outcomes VALUES ('old', 'sim:cheap', 's', 'a', 'answer', 0, '[]', '{"messages":[],"maxTokens":5}',
          'hello', NULL, 0, NULL, 1, NULL, NULL, NULL, '2026-01-01T00:00:00.000Z', NULL, 0)`,
      )
      .run();
    raw.close();
    const store = OutcomeStore.open(path);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.get("old")?.rawUsage).toBeUndefined();
    const rawUsage = { format: "openai" as const, usage: { prompt_tokens: 3, completion_tokens: 1, extra: [1, "x"] } };
    // Rows are written by column name: the tries of schema 5 and the raw usage of 7 both survive.
    store.put(record("h1", { rawUsage, tries: 3 }));
    expect(store.get("h1")).toEqual(record("h1", { rawUsage, tries: 3 }));
    expect(store.withRawUsage("", 10).map((r) => r.hash)).toEqual(["h1"]);
    store.close();
  });

  it("refuses a store written by a newer routegate instead of corrupting it", () => {
    const path = join(mkdtempSync(join(tmpdir(), "rg-store-")), "o.sqlite");
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => OutcomeStore.open(path)).toThrow(/newer than this routegate/);
  });
});
