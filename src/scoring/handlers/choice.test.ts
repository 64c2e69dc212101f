import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors.ts";
import type { Item } from "../../core/types.ts";
import { createScorer } from "../index.ts";
import { choiceMatcher } from "./choice.ts";

const item = (expected: Item["expected"]): Item => ({ id: "m1", input: "?", expected });
const extract = choiceMatcher(["A", "B", "C", "D"]);

describe("choice scorer", () => {
  const choice = createScorer("choice");

  it("reads a bare or wrapped letter", () => {
    for (const out of ["B", "b", "(B)", "**B**", "B.", "Answer: B", "The answer is (b)."]) {
      expect(extract(out), out).toEqual({ choice: "B" });
    }
  });

  it("reads a letter alone on the first line before an explanation", () => {
    expect(extract("**C**\nA and B are distractors.")).toEqual({ choice: "C" });
  });

  it("reads explicit statements, the last one winning", () => {
    expect(extract("The answer is C because A is wrong.")).toEqual({ choice: "C" });
    expect(extract("At first I thought the answer is A. On reflection, the answer is D")).toEqual({ choice: "D" });
    expect(extract("The correct option is B")).toEqual({ choice: "B" });
  });

  it("reads a leading option marker and a lone parenthesised letter", () => {
    expect(extract("C) Paris, because it is the capital")).toEqual({ choice: "C" });
    expect(extract("I would pick (C) here.")).toEqual({ choice: "C" });
  });

  it("does not read English 'A' and 'I' as choices", () => {
    expect(extract("A good question; I think it is D")).toEqual({ choice: "D" });
    expect(extract("A cat sat on the mat")).toMatchObject({ reason: "the output names no choice letter" });
  });

  it("scores several or no letters 0 (adversarial hedging)", () => {
    expect(choice("A or B", item("A"))).toMatchObject({ score: 0, details: { found: ["A", "B"] } });
    expect(choice("Paris", item("A")).score).toBe(0);
    expect(choice("E", item("A")).score).toBe(0);
  });

  it("compares with expected as a letter or a 0-based index", () => {
    expect(choice("B", item("b")).score).toBe(1);
    expect(choice("B", item(1)).score).toBe(1);
    expect(choice("B", item(0))).toMatchObject({ score: 0, details: { choice: "B", expected: "A" } });
  });

  it("supports custom choices and rejects bad expected values", () => {
    const five = createScorer({ type: "choice", choices: ["A", "B", "C", "D", "E"] });
    expect(five("E", item("E")).score).toBe(1);
    expect(() => choice("A", item("E"))).toThrow(InputError);
    expect(() => choice("A", item(4))).toThrow(/out of range/);
  });
});
