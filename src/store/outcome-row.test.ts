import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import { type OutcomeRecord, OutcomeStore, type ServedOutcome } from "./outcome-store.ts";

/** What a served read returns of a record: all of it but the request and the raw usage. */
const served = ({ request: _r, rawUsage: _u, ...rest }: OutcomeRecord): ServedOutcome => rest;

// Issue 13: a repeat run reads its outcomes a window at a time as arrays of columns, checked by
// plain type tests instead of per-row objects; the store stays hostile input, so a damaged row is
// refused with the store, the row, the column and the fix named (exit 2), never served. A served
// read (getMany) leaves out the request and the raw usage, which no served answer needs.

const record = (hash: string, over: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  hash,
  modelId: "replay:a",
  snapshot: "replay:a@0123456789ab",
  identity: { itemId: `item-${hash}`, role: "answer", sample: 0, parents: [] },
  request: { messages: [{ role: "user", content: `question ${hash}` }], maxTokens: 5 },
  output: `answer ${hash}`,
  usage: { input: { noCache: 3, cacheRead: 1, cacheWrite5m: 0, cacheWrite1h: 0 }, output: { text: 1, reasoning: 0 } },
  usageEstimated: false,
  recordedCostUsd: null,
  latencyMs: 12.5,
  error: null,
  errorCode: null,
  logprobs: null,
  createdAt: "2026-11-30T00:00:00.000Z",
  serviceTier: null,
  ...over,
});

/** Every optional field and null-or-value column set one way or the other. */
const variety = (): OutcomeRecord[] => [
  record("h1"),
  record("h2", { error: "rate limited", errorCode: "rate_limited", usage: null, output: "" }),
  record("h3", { logprobs: { mean: -0.1, min: -1.2 }, recordedCostUsd: 0.25, usageEstimated: true }),
  record("h4", { redacted: true, tries: 3, serviceTier: "batch" }),
  record("h5", { rawUsage: { format: "recorded", usage: { inputTokens: 3, outputTokens: 1 } } }),
  record("h6", { identity: { itemId: "x", role: "verify", sample: 2, parents: ["h1", "h2"] } }),
  record("h7", { request: { input: "embed me" } as unknown as OutcomeRecord["request"], output: "f32:AAAA" }),
];

function storeWith(records: OutcomeRecord[]): { store: OutcomeStore; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), "rg-row-")), "o.sqlite");
  const store = OutcomeStore.open(path);
  store.putMany(records);
  return { store, path };
}

describe("stored outcomes read as columns", () => {
  it("getMany returns what was stored but the request and raw usage, get all of it; absent hashes left out", () => {
    const records = variety();
    const { store } = storeWith(records);
    // Past one IN-chunk (500 hashes), with hashes the store does not hold.
    const many = Array.from({ length: 700 }, (_, i) => record(`m${i}`));
    store.putMany(many);
    const asked = [...records, ...many].map((r) => r.hash);
    const got = store.getMany([...asked, "absent-1", "absent-2"]);
    expect(got.size).toBe(asked.length);
    for (const r of [...records, ...many]) {
      expect(got.get(r.hash)).toStrictEqual(served(r));
      expect(store.get(r.hash)).toEqual(r);
    }
    expect(got.has("absent-1")).toBe(false);
    store.close();
  });

  // [what, damage, error, whether a served read sees it]
  const damage: Array<[string, string, RegExp, boolean?]> = [
    [
      "usage is not JSON",
      "UPDATE outcomes SET usage = '{\"input\":' WHERE hash = 'h1'",
      /column usage\): not valid JSON/,
    ],
    [
      "usage lacks a token count",
      `UPDATE outcomes SET usage = '{"input":{"noCache":3},"output":{"text":1,"reasoning":0}}' WHERE hash = 'h1'`,
      /column usage\): not a usage object/,
    ],
    [
      "a number column holds text",
      "UPDATE outcomes SET latency_ms = 'fast' WHERE hash = 'h1'",
      /column latency_ms\): not a number/,
    ],
    [
      "a number column holds infinity",
      "UPDATE outcomes SET latency_ms = 9e999 WHERE hash = 'h1'",
      /column latency_ms\): not a number/,
    ],
    ["the output is a blob", "UPDATE outcomes SET output = x'00ff' WHERE hash = 'h1'", /column output\): not text/],
    [
      "an unknown role",
      "UPDATE outcomes SET role = 'oracle' WHERE hash = 'h1'",
      /column role\): unknown role "oracle"/,
    ],
    ["parents not a list", `UPDATE outcomes SET parents = '{"a":1}' WHERE hash = 'h1'`, /column parents\): not a list/],
    [
      "the request not an object",
      "UPDATE outcomes SET request = '42' WHERE hash = 'h1'",
      /column request\): not a request object/,
      false,
    ],
    [
      "raw usage without a format",
      `UPDATE outcomes SET usage_raw = '{"usage":{}}' WHERE hash = 'h1'`,
      /column usage_raw\)/,
      false,
    ],
  ];

  for (const [what, sql, message, servedReadSees = true] of damage) {
    const reads = servedReadSees ? "by both reads" : "by a whole read (a served read does not read it)";
    it(`refuses a damaged row (${what}) naming the store, the row and the column, ${reads}`, () => {
      const { store, path } = storeWith(variety());
      store.close();
      const raw = new Database(path);
      raw.exec(sql);
      raw.close();
      const reopened = OutcomeStore.open(path);
      const whole = () => reopened.get("h1");
      for (const read of servedReadSees ? [() => reopened.getMany(["h2", "h1"]), whole] : [whole]) {
        let thrown: unknown;
        try {
          read();
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(InputError);
        const err = thrown as InputError;
        expect(err.exitCode).toBe(2);
        expect(err.message).toContain(path);
        expect(err.message).toMatch(/outcome h1, column/);
        expect(err.message).toMatch(message);
        expect(err.fix).toMatch(/delete it/);
      }
      // The undamaged rows are still served (and the damaged one too when a served read skips the damage).
      expect(reopened.getMany(["h2"]).get("h2")?.error).toBe("rate limited");
      if (!servedReadSees) expect(reopened.getMany(["h1"]).get("h1")?.output).toBe("answer h1");
      reopened.close();
    });
  }
});
