import { describe, expect, it } from "vitest";
import { findNumbers, hashAnswer, parseNumber, phraseAnswer, routellmAnswer } from "./numbers.ts";

const values = (text: string) => findNumbers(text).map((t) => t.value);

describe("findNumbers", () => {
  it("reads currency, thousands separators and decimals", () => {
    expect(values("It costs $1,234.50 today")).toEqual([1234.5]);
    expect(values("1,000,000 people")).toEqual([1_000_000]);
    expect(values("18.00")).toEqual([18]);
  });
  it("treats a sentence-final period as punctuation", () => {
    expect(values("The answer is 18.")).toEqual([18]);
  });
  it("reads a sign only where it cannot be a subtraction or hyphen", () => {
    expect(values("x = -3")).toEqual([-3]);
    expect(values("16-3-4=9")).toEqual([16, 3, 4, 9]);
    expect(values("16 - 3 = 13")).toEqual([16, 3, 13]);
    expect(values("COVID-19")).toEqual([19]);
    expect(values("ahead by $-15 or -$15")).toEqual([-15, -15]);
  });
  it("does not glue comma lists or malformed groups into one number", () => {
    expect(values("1,2,3")).toEqual([1, 2, 3]);
    expect(values("1,2345")).toEqual([1, 2345]);
    expect(values("12, 34")).toEqual([12, 34]);
  });
  it("reads a/b without spaces as a fraction, and rejects division by zero", () => {
    expect(values("half is 1/2")).toEqual([0.5]);
    expect(values("48 / 2 = 24")).toEqual([48, 2, 24]);
    expect(values("5/0")).toEqual([]);
  });
  it("reads a percent as its number and exponents", () => {
    expect(values("50% off")).toEqual([50]);
    expect(values("6.02e23 atoms")).toEqual([6.02e23]);
  });
  it("returns raw text and offsets that include the currency and sign", () => {
    expect(findNumbers("pay -$3 now")).toEqual([{ value: -3, raw: "-$3", index: 4 }]);
  });
});

describe("parseNumber", () => {
  it("accepts exactly one number", () => {
    expect(parseNumber(" 18 ")).toBe(18);
    expect(parseNumber("$1,234.5")).toBe(1234.5);
    expect(parseNumber("18.")).toBe(18);
    expect(parseNumber("-10")).toBe(-10);
  });
  it("rejects text and several numbers", () => {
    expect(parseNumber("eighteen")).toBeUndefined();
    expect(parseNumber("18 or 20")).toBeUndefined();
    expect(parseNumber("18 apples")).toBeUndefined();
  });
});

describe("hashAnswer and phraseAnswer", () => {
  it("takes the first number on the last #### line", () => {
    expect(hashAnswer("#### 3\nmore\n#### 7 packs and 2 extra")?.value).toBe(7);
    expect(hashAnswer("####$1,200")?.value).toBe(1200);
    expect(hashAnswer("#### none\n5")).toBeUndefined();
    expect(hashAnswer("no marker 5")).toBeUndefined();
  });
  it("takes the number right after the last answer phrase", () => {
    expect(phraseAnswer("The answer is 18, not 20.")?.value).toBe(18);
    expect(phraseAnswer("Answer: $42")?.value).toBe(42);
    expect(phraseAnswer("\\boxed{7}")?.value).toBe(7);
    expect(phraseAnswer("The answer is negative: 5")).toBeUndefined();
  });
});

describe("routellmAnswer (RouteLLM get_answer_value)", () => {
  it("drops commas and reads the last digit run without sign or decimals", () => {
    expect(routellmAnswer("$1,234")).toBe(1234n);
    expect(routellmAnswer("#### -15")).toBe(15n);
    expect(routellmAnswer("$7.00")).toBe(0n);
    expect(routellmAnswer("#### 0.84")).toBe(84n);
  });
  it("is invalid where literal_eval fails or nothing is found", () => {
    expect(routellmAnswer("at 07")).toBeUndefined();
    expect(routellmAnswer("no digits")).toBeUndefined();
    expect(routellmAnswer("00")).toBe(0n);
  });
});
