import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { CallResult, Item } from "../../core/types.ts";
import type { RouterContext } from "../router.ts";
import { agreementWith } from "./agreement.ts";
import { answerKey, finalNumber } from "./final-answer.ts";
import { logprobConfidence, selfReportedConfidence } from "./signals.ts";
import { arithmeticChecksOut, hasFinalNumber, labelIsAllowed, parsesAsJson, verifierSource } from "./verifiers.ts";

const item: Item = { id: "i1", input: "What is 6 times 7?" };
const result = (text: string, extra: Partial<CallResult> = {}): CallResult => ({
  text,
  model: "cheap",
  requestHash: `h:${text}`,
  costUsd: 0.001,
  latencyMs: 100,
  cached: true,
  usage: { input: { noCache: 10, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, output: { text: 5, reasoning: 0 } },
  ...extra,
});
const ctxAnswering = (text: string): RouterContext & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    request: { messages: [{ role: "user", content: "q" }], maxTokens: 10 },
    models: ["cheap", "other"],
    embed: () => Promise.reject(new Error("no embeddings in this test")),
    async call(model) {
      calls.push(model);
      return result(text, { model });
    },
  };
};
const input = (answer: CallResult, ctx = ctxAnswering("")) => ({
  item,
  request: ctx.request,
  model: "cheap",
  answer,
  ctx,
});

describe("code verifiers", () => {
  it("JSON: parses (fences tolerated) and checks a schema", () => {
    const schema = z.object({ total: z.number() });
    expect(parsesAsJson()('```json\n{"total": 3}\n```', item)).toBe(true);
    expect(parsesAsJson(schema)('{"total": 3}', item)).toBe(true);
    expect(parsesAsJson(schema)('{"total": "3"}', item)).toBe(false);
    expect(parsesAsJson()("no json here", item)).toBe(false);
  });

  it("final number: present only behind a marker", () => {
    expect(hasFinalNumber()("so 42 apples\n#### 42", item)).toBe(true);
    expect(hasFinalNumber()("The answer is $1,234.", item)).toBe(true);
    expect(hasFinalNumber()("I think about 42 apples", item)).toBe(false);
    expect(finalNumber("The answer is $1,234.")?.value).toBe(1234);
  });

  it("arithmetic: fails a wrong worked solution, abstains without equations", () => {
    expect(arithmeticChecksOut()("6 * 7 = <<6*7=43>>43\n#### 43", item)).toBe(false);
    expect(arithmeticChecksOut()("6 * 7 = <<6*7=42>>42\n#### 42", item)).toBe(true);
    expect(arithmeticChecksOut()("#### 42", item)).toBeNull();
  });

  it("label: one of the allowed labels, case and quotes ignored", () => {
    const v = labelIsAllowed(["refund", "billing"]);
    expect(v(' "Refund". ', item)).toBe(true);
    expect(v("shipping", item)).toBe(false);
  });

  it("as a confidence source: pass 1, fail 0, not applicable null, a failed call 0", async () => {
    const s = verifierSource("arith", arithmeticChecksOut());
    expect(await s.confidence(input(result("6 * 7 = 42")))).toBe(1);
    expect(await s.confidence(input(result("6 * 7 = 43")))).toBe(0);
    expect(await s.confidence(input(result("no equations")))).toBeNull();
    expect(await s.confidence(input(result("", { error: "timeout" })))).toBe(0);
  });
});

describe("signals", () => {
  it("logprobs: exp(mean) or exp(min); null when the provider reported none", async () => {
    const answer = result("x", { logprobs: { mean: -0.1, min: -2 } });
    expect(await logprobConfidence("mean").confidence(input(answer))).toBeCloseTo(Math.exp(-0.1), 12);
    expect(await logprobConfidence("min").confidence(input(answer))).toBeCloseTo(Math.exp(-2), 12);
    expect(await logprobConfidence().confidence(input(result("x")))).toBeNull();
  });

  it("self-reported confidence from JSON or a text line, percentages included", async () => {
    const s = selfReportedConfidence();
    expect(await s.confidence(input(result('{"answer": 4, "confidence": 0.8}')))).toBe(0.8);
    expect(await s.confidence(input(result("Answer: 4\nConfidence: 75%")))).toBe(0.75);
    expect(await s.confidence(input(result("Answer: 4")))).toBeNull();
  });

  it("agreement: asks the other model the same request (a charged call) and compares answers", async () => {
    const same = ctxAnswering("Working...\n#### 42");
    expect(await agreementWith("other").confidence(input(result("6*7 is 42.\n#### 42"), same))).toBe(1);
    expect(same.calls).toEqual(["other"]);
    const different = ctxAnswering("#### 41");
    expect(await agreementWith("other").confidence(input(result("#### 42"), different))).toBe(0);
    expect(answerKey('```json\n{"b":1,"a":2}\n```')).toBe(answerKey('{"a":2,"b":1}'));
    expect(answerKey(" Refund.")).toBe(answerKey("refund"));
  });
});
