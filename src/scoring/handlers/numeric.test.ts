import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors.ts";
import type { Item } from "../../core/types.ts";
import { createScorer } from "../index.ts";

const item = (expected: Item["expected"]): Item => ({ id: "q1", input: "?", expected });

describe("numeric scorer", () => {
  const numeric = createScorer("numeric");

  it("passes on the final number in its many spellings", () => {
    expect(numeric("She makes $18 every day.", item("18")).score).toBe(1);
    expect(numeric("Total: $1,234.50", item(1234.5)).score).toBe(1);
    expect(numeric("So the change is $7.00", item("7")).score).toBe(1);
    expect(numeric("It is 18.", item(18)).score).toBe(1);
    expect(numeric("The result is -3", item("-3")).score).toBe(1);
    expect(numeric("half: 1/2", item(0.5)).score).toBe(1);
  });

  it("fails a wrong or missing number with details", () => {
    const wrong = numeric("I think 19", item(18));
    expect(wrong).toMatchObject({ score: 0, pass: false, details: { value: 19, expected: 18 } });
    expect(numeric("no idea", item(18)).details).toMatchObject({ reason: "no number in the output" });
  });

  it("does not accept the digits after a decimal point or a wrong sign", () => {
    expect(numeric("#### 0.5", item(5)).score).toBe(0);
    expect(numeric("#### 7.8", item(8)).score).toBe(0);
    expect(numeric("#### -54", item(54)).score).toBe(0);
  });

  it("prefers the #### answer, then an explicit answer phrase, over later numbers", () => {
    expect(numeric("The answer is 18, not 20. #### 18", item(18)).score).toBe(1);
    expect(numeric("#### 7 packs and 2 extra glue sticks", item(7)).score).toBe(1);
    expect(numeric("The answer is 18 (it took 3 steps).", item(18)).score).toBe(1);
    // Without a marker the last number wins, which is wrong here: the known limit of last-number reading.
    expect(numeric("She pays $64 for the 16 glasses.", item(64)).score).toBe(0);
  });

  it("extract: hash requires the marker; first and last pick their ends", () => {
    const hash = createScorer({ type: "numeric", extract: "hash" });
    expect(hash("The answer is 18, not 20. #### 18", item(18)).score).toBe(1);
    expect(hash("The answer is 18", item(18))).toMatchObject({
      score: 0,
      details: { reason: "no number after a #### marker" },
    });
    expect(createScorer({ type: "numeric", extract: "first" })("18 then 20", item(18)).score).toBe(1);
    expect(createScorer({ type: "numeric", extract: "last" })("#### 18 then 20", item(20)).score).toBe(1);
  });

  it("honours absolute and relative tolerance", () => {
    expect(numeric("3.1415926", item(Math.PI)).score).toBe(1);
    expect(numeric("3.14", item(Math.PI)).score).toBe(0);
    expect(createScorer({ type: "numeric", tolerance: 0.01 })("3.14", item(Math.PI)).score).toBe(1);
    expect(createScorer({ type: "numeric", relative: 0.01 })("1005", item(1000)).score).toBe(1);
    expect(createScorer({ type: "numeric", relative: 0.01 })("1011", item(1000)).score).toBe(0);
  });

  it("accepts a list of acceptable answers", () => {
    expect(numeric("120 minutes", item([2, 120])).score).toBe(1);
  });

  it("throws InputError for an expected value that is not a number", () => {
    expect(() => numeric("18", item("eighteen"))).toThrow(InputError);
    expect(() => numeric("18", item(undefined))).toThrow(/no expected value/);
  });

  it("routellmCompat reproduces RouteLLM's integer rule, flaws included", () => {
    const compat = createScorer({ type: "numeric", routellmCompat: true });
    expect(compat("#### 18", item("18")).score).toBe(1);
    expect(compat("#### $7.00", item("7")).score).toBe(0); // reads "00"
    expect(compat("#### 0.84", item("84")).score).toBe(1); // reads "84"
    expect(compat("#### -15", item("15")).score).toBe(1); // ignores the sign
    expect(compat("#### 10", item("-10")).score).toBe(1); // gold read the same way
  });

  it("rejects routellmCompat combined with other options", () => {
    expect(() => createScorer({ type: "numeric", routellmCompat: true, tolerance: 0.1 })).toThrow(/scorer\.tolerance/);
  });
});
