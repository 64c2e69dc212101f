import { describe, expect, it } from "vitest";
import { checkArithmetic, evaluate } from "./arithmetic.ts";

describe("evaluate", () => {
  it("parses arithmetic with precedence, brackets, currency, thousands, percent and fractions", () => {
    expect(evaluate("2 + 3 * 4")).toBe(14);
    expect(evaluate("(2 + 3) * 4")).toBe(20);
    expect(evaluate("$1,200 / 4")).toBe(300);
    expect(evaluate("20 * 50%")).toBe(10);
    expect(evaluate("2^3")).toBe(8);
    expect(evaluate("12.8 / 2/5")).toBeCloseTo(32, 10);
    expect(evaluate("-3 + 5")).toBe(2);
  });

  it("refuses anything that is not arithmetic (nothing is ever run as code)", () => {
    expect(evaluate("process.exit(1)")).toBeNull();
    expect(evaluate("2 +")).toBeNull();
    expect(evaluate("4 / 0")).toBeNull();
    expect(evaluate("")).toBeNull();
  });
});

describe("checkArithmetic", () => {
  it("catches a wrong GSM8K calculator annotation", () => {
    expect(checkArithmetic("So 6 * 7 is <<6*7=43>>43 apples.")).toEqual({
      checked: 1,
      failed: 1,
      firstFailure: "6*7 = 43",
    });
    // Annotation and plain statement both wrong: "6 * 7 = <<6*7=43>>43" reads "6 * 7 = 43" once unwrapped.
    expect(checkArithmetic("So 6 * 7 = <<6*7=43>>43 apples.").failed).toBe(2);
    expect(checkArithmetic("So 6 * 7 is <<6*7=42>>42 apples.")).toEqual({ checked: 1, failed: 0 });
  });

  it("re-computes plain statements, 'x' for times, and chains", () => {
    expect(checkArithmetic("In a week she runs 3 x 60 = 180 metres.").failed).toBe(0);
    const wrong = checkArithmetic("He has 3.33. Then 7 x 8 = 54.");
    expect(wrong.failed).toBe(1);
    expect(wrong.firstFailure).toBe("7 * 8 = 54");
    expect(checkArithmetic("2 + 1/2 = 5/2 = <<5/2=2.5>>2.5 bolts").failed).toBe(0);
    // "a + b = 96 / 3 = 32": the left side equals the right side's first number.
    expect(checkArithmetic("12 + 43 + 15 + 4 + 22 = $96 / 3 = $32").failed).toBe(0);
  });

  it("accepts results rounded to the decimals shown and markdown-escaped multiplication", () => {
    expect(checkArithmetic("10/3 = 3.33 each").failed).toBe(0);
    expect(checkArithmetic("16 \\* 3/4 = <<16*3/4=12>>12 gift bags").failed).toBe(0);
  });

  it("leaves algebra and bare restatements alone, and says when there was nothing to check", () => {
    expect(checkArithmetic("x * 4 + 8 = 40, so x = 8").checked).toBe(0);
    expect(checkArithmetic("The answer = 5").checked).toBe(0);
    expect(checkArithmetic("No numbers here.")).toEqual({ checked: 0, failed: 0 });
  });
});
