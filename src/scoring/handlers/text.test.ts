import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors.ts";
import type { Item } from "../../core/types.ts";
import { createScorer } from "../index.ts";
import { normalizeText } from "./normalized.ts";

const item = (expected: Item["expected"]): Item => ({ id: "x1", input: "?", expected });

describe("exact scorer", () => {
  const exact = createScorer("exact");
  it("passes after trimming only", () => {
    expect(exact("  Paris\n", item("Paris")).score).toBe(1);
    expect(exact("paris", item("Paris")).score).toBe(0);
    expect(exact("Paris.", item("Paris")).score).toBe(0);
  });
  it("compares numbers by their string form and accepts a list", () => {
    expect(exact("18", item(18)).score).toBe(1);
    expect(exact("18.0", item(18)).score).toBe(0);
    expect(exact("Lyon", item(["Paris", "Lyon"])).score).toBe(1);
  });
  it("throws InputError without an expected value", () => {
    expect(() => exact("x", item(undefined))).toThrow(InputError);
    expect(() => exact("x", item({ a: 1 }))).toThrow(/expected is an object/);
  });
});

describe("normalized scorer", () => {
  const norm = createScorer("normalized");
  it("ignores case, whitespace and punctuation", () => {
    expect(norm("  THE  Eiffel-Tower!! ", item("the eiffel tower")).score).toBe(0); // hyphen is removed, not spaced
    expect(norm("  THE  Eiffel Tower!! ", item("the eiffel tower")).score).toBe(1);
    expect(norm("U.S.A.", item("usa")).score).toBe(1);
    expect(norm("don't", item("dont")).score).toBe(1);
  });
  it("still distinguishes different words", () => {
    expect(norm("the cat", item("cat")).score).toBe(0);
    expect(normalizeText("Ｆｕｌｌ　Width")).toBe("full width");
  });
});

describe("contains scorer", () => {
  it("finds expected in the output, case-insensitively by default", () => {
    const contains = createScorer("contains");
    expect(contains("The capital is PARIS.", item("Paris")).score).toBe(1);
    expect(contains("The capital is Lyon.", item("Paris"))).toMatchObject({
      score: 0,
      details: { reason: "not found" },
    });
  });
  it("uses value when given, and caseSensitive", () => {
    const cs = createScorer({ type: "contains", value: "OK", caseSensitive: true });
    expect(cs("status: OK", item(undefined)).score).toBe(1);
    expect(cs("status: ok", item(undefined)).score).toBe(0);
  });
  it("is a substring test (documented): 18 is inside 180", () => {
    expect(createScorer("contains")("180", item(18)).score).toBe(1);
  });
});

describe("regex scorer", () => {
  it("matches with flags, ignoring g/y statefulness", () => {
    const re = createScorer({ type: "regex", pattern: "^yes\\b", flags: "gi" });
    expect(re("Yes, sure", item(undefined)).score).toBe(1);
    expect(re("Yes, again", item(undefined)).score).toBe(1);
    expect(re("well, yes", item(undefined))).toMatchObject({ score: 0, details: { reason: "no match" } });
  });
  it("rejects an invalid pattern or flags at creation", () => {
    expect(() => createScorer({ type: "regex", pattern: "(" })).toThrow(/scorer\.pattern/);
    expect(() => createScorer({ type: "regex", pattern: "a", flags: "q" })).toThrow(/scorer\.flags/);
  });
});
