import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as zm from "zod/mini";
import { InputError } from "../../core/errors.ts";
import type { Item } from "../../core/types.ts";
import { createScorer } from "../index.ts";
import { extractJson } from "../json-extract.ts";
import { jsonFieldF1 } from "./json.ts";

const item = (expected: Item["expected"]): Item => ({ id: "j1", input: "?", expected });
const expected = { name: "Ada Lovelace", year: 1815, city: null, vip: true };

describe("extractJson", () => {
  it("parses plain JSON, a ```json fence and the first object in prose", () => {
    expect(extractJson('{"a":1}')).toEqual({ value: { a: 1 } });
    expect(extractJson('Here:\n```json\n{"a": 2}\n```\nDone')).toEqual({ value: { a: 2 } });
    expect(extractJson('```\n{"a": 3}\n```')).toEqual({ value: { a: 3 } });
    expect(extractJson('Sure! {"a": {"b": "}"}} hope this helps {"c": 1}')).toEqual({ value: { a: { b: "}" } } });
  });
  it("prefers a json-tagged fence and skips blocks that do not parse", () => {
    expect(extractJson('```text\n{"x":0}\n```\n```json\n{"x":1}\n```')).toEqual({ value: { x: 1 } });
    expect(extractJson('{not json} then {"ok": true}')).toEqual({ value: { ok: true } });
  });
  it("gives up on output with no JSON", () => {
    expect(extractJson("no json here")).toBeUndefined();
    expect(extractJson('{"a": 1,')).toBeUndefined();
  });
});

describe("json scorer", () => {
  const json = createScorer("json");

  it("scores 1 for a matching object, normalising strings and tolerating numeric noise", () => {
    const out = '```json\n{"name": "  ada lovelace ", "year": 1815.0000001, "city": null, "vip": true}\n```';
    const r = json(out, item(expected));
    expect(r).toMatchObject({ score: 1, pass: true, details: { valid: true } });
  });

  it("scores the fraction of correct fields and reports each field", () => {
    const r = json('{"name": "Ada Byron", "year": "1815", "vip": false}', item(expected));
    expect(r.score).toBe(0.5); // year (numeric string) and city (missing == null) right
    expect(r.pass).toBe(false);
    expect(r.details?.["fields"]).toEqual({
      name: { correct: false, expectedNull: false, predictedNull: false },
      year: { correct: true, expectedNull: false, predictedNull: false },
      city: { correct: true, expectedNull: true, predictedNull: true },
      vip: { correct: false, expectedNull: false, predictedNull: false },
    });
  });

  it("scores 0 for unparsable output or a non-object", () => {
    expect(json("The name is Ada", item(expected))).toMatchObject({
      score: 0,
      details: { valid: false, reason: "no JSON found in the output" },
    });
    expect(json("[1, 2]", item(expected)).details).toMatchObject({ reason: "the JSON is not an object" });
  });

  it("keeps the field score but marks invalid when the schema fails", () => {
    const schema = z.object({
      name: z.string(),
      year: z.number().int(),
      city: z.string().nullable(),
      vip: z.boolean(),
    });
    const strict = createScorer({ type: "json", schema });
    expect(strict(JSON.stringify(expected), item(expected))).toMatchObject({ score: 1, pass: true });
    const r = strict('{"name": "Ada Lovelace", "year": "1815", "city": null, "vip": true}', item(expected));
    expect(r).toMatchObject({
      score: 1,
      pass: false,
      details: { valid: false, schemaIssues: [expect.stringMatching(/^year/)] },
    });
  });

  it("accepts a zod/mini schema and rejects a non-schema", () => {
    const mini = createScorer({ type: "json", schema: zm.object({ a: zm.number() }) });
    expect(mini('{"a": 1}', item({ a: 1 })).pass).toBe(true);
    expect(() => createScorer({ type: "json", schema: { a: "number" } } as never)).toThrow(/scorer\.schema/);
  });

  it("compares only the listed fields, with dot paths, arrays and nested objects", () => {
    const some = createScorer({ type: "json", fields: ["who.name", "tags"] });
    const want = { who: { name: "Ada", age: 36 }, tags: ["math", "poetry"], other: 1 };
    expect(some('{"who": {"name": "ADA"}, "tags": ["Math", "poetry"]}', item(want)).score).toBe(1);
    expect(some('{"who": {"name": "ADA"}, "tags": ["poetry", "math"]}', item(want)).score).toBe(0.5);
  });

  it("throws InputError when expected is not an object", () => {
    expect(() => json("{}", item("x"))).toThrow(InputError);
  });
});

describe("jsonFieldF1", () => {
  it("computes micro precision, recall and F1 over non-null fields", () => {
    const json = createScorer("json");
    const want = { a: "x", b: null, c: 3 };
    const results = [
      json('{"a": "x", "b": null, "c": 3}', item(want)), // tp 2
      json('{"a": "y", "b": "z", "c": 3}', item(want)), // a: fp+fn, b: fp, c: tp
      json("garbage", item(want)), // a, c: fn
    ];
    const f = jsonFieldF1(results);
    expect(f).toMatchObject({ tp: 3, fp: 2, fn: 3 });
    expect(f.precision).toBeCloseTo(3 / 5, 12);
    expect(f.recall).toBeCloseTo(3 / 6, 12);
    expect(f.f1).toBeCloseTo((2 * 0.6 * 0.5) / 1.1, 12);
  });
  it("is 0 with nothing to find and refuses results from other scorers", () => {
    expect(jsonFieldF1([]).f1).toBe(0);
    expect(() => jsonFieldF1([{ score: 1, pass: true }])).toThrow(/no json field details/);
  });
});
