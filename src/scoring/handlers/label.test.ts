import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors.ts";
import type { Item } from "../../core/types.ts";
import { createScorer } from "../index.ts";
import { labelMatcher } from "./label.ts";

const item = (expected: Item["expected"]): Item => ({ id: "t1", input: "?", expected });
const labels = ["billing", "refund", "technical support"];

describe("label scorer", () => {
  const label = createScorer({ type: "label", labels });

  it("matches the whole output after trimming, case folding and unwrapping", () => {
    expect(label("billing", item("billing")).score).toBe(1);
    expect(label("  Billing.\n", item("billing")).score).toBe(1);
    expect(label('"**Refund**"', item("refund")).score).toBe(1);
    expect(label("Label: refund", item("refund")).score).toBe(1);
    expect(label("technical SUPPORT", item("technical support")).score).toBe(1);
  });

  it("takes a first line that is exactly a label, even if the explanation names another", () => {
    expect(label("Refund\nReason: the customer was double billed", item("refund")).score).toBe(1);
    expect(label("The customer mentions billing\nso: refund", item("refund")).score).toBe(0);
  });

  it("extracts the single label named in a sentence", () => {
    expect(label("This ticket is about a refund request.", item("refund")).score).toBe(1);
    expect(label("This looks like technical support to me", item("technical support")).details).toEqual({
      label: "technical support",
    });
  });

  it("scores a wrong label 0 with the label found", () => {
    expect(label("refund", item("billing"))).toEqual({
      score: 0,
      pass: false,
      details: { label: "refund", expected: "billing" },
    });
  });

  it("scores 0 when several labels appear (adversarial hedging)", () => {
    const r = label("billing or refund", item("billing"));
    expect(r.score).toBe(0);
    expect(r.details).toMatchObject({ reason: "the output names several labels", found: ["billing", "refund"] });
  });

  it("scores 0 when no valid label appears, and does not match inside words", () => {
    expect(label("I cannot tell", item("billing")).details).toMatchObject({
      reason: "the output names no valid label",
    });
    expect(label("rebilling", item("billing")).score).toBe(0);
    expect(label("refunds", item("refund")).score).toBe(0);
  });

  it("prefers the longer label that contains a shorter one", () => {
    const tox = labelMatcher(["toxic", "non-toxic"]);
    expect(tox("The comment is non-toxic.")).toEqual({ label: "non-toxic" });
    expect(tox("toxic")).toEqual({ label: "toxic" });
    expect(tox("toxic, not non-toxic")).toMatchObject({ reason: "the output names several labels" });
  });

  it("respects caseSensitive", () => {
    const cs = createScorer({ type: "label", labels: ["Yes", "No"], caseSensitive: true });
    expect(cs("Yes", item("Yes")).score).toBe(1);
    expect(cs("yes", item("Yes")).score).toBe(0);
  });

  it("throws InputError when expected is not a label, or labels repeat", () => {
    expect(() => label("billing", item("shipping"))).toThrow(InputError);
    expect(() => createScorer({ type: "label", labels: ["a", "A"] })).toThrow(/scorer\.labels/);
  });
});
