import { describe, expect, it } from "vitest";
import { jsonValues, parseVerdict } from "./verdict.ts";

const pairwise = { kind: "pairwise" } as const;
const score = { kind: "score" } as const;

describe("parseVerdict", () => {
  it("reads the JSON the prompt asks for", () => {
    expect(parseVerdict('{"reason": "B is right", "winner": "B"}', pairwise)).toEqual({
      ok: true,
      winner: "B",
      repaired: false,
    });
    expect(parseVerdict('{"winner": "tie"}', pairwise)).toMatchObject({ ok: true, winner: "tie" });
    expect(parseVerdict('{"score": 7}', score)).toMatchObject({ ok: true, grade: 6 / 9 });
    expect(parseVerdict('{"verdict": "PASS"}', { kind: "pass-fail" })).toMatchObject({ ok: true, grade: 1 });
  });

  it("finds the verdict in a fence or in prose, and normalises labels", () => {
    expect(parseVerdict('```json\n{"winner": "a"}\n```', pairwise)).toMatchObject({ ok: true, winner: "A" });
    expect(parseVerdict('Here is my verdict: {"winner": "Answer B"} Thanks.', pairwise)).toMatchObject({ winner: "B" });
    expect(parseVerdict('{"winner": "Tie"}', pairwise)).toMatchObject({ winner: "tie" });
    expect(parseVerdict('{"score": "9"}', score)).toMatchObject({ grade: 8 / 9 });
  });

  it("repairs broken JSON with jsonrepair and says so", () => {
    expect(parseVerdict("{winner: 'A',}", pairwise)).toEqual({ ok: true, winner: "A", repaired: true });
    expect(parseVerdict('Verdict: {"reason": "short", "score": 4', score)).toEqual({
      ok: true,
      grade: 3 / 9,
      repaired: true,
    });
  });

  it("refuses out-of-range, missing or wrong-typed verdicts instead of guessing", () => {
    expect(parseVerdict('{"score": 11}', score)).toMatchObject({ ok: false });
    expect(parseVerdict('{"score": 0}', score)).toMatchObject({ ok: false });
    expect(parseVerdict('{"winner": "C"}', pairwise)).toMatchObject({ ok: false });
    expect(parseVerdict("The winner is A.", pairwise)).toMatchObject({
      ok: false,
      problem: "no JSON object in the reply",
    });
    expect(parseVerdict('{"verdict": "pass"}', pairwise)).toMatchObject({ ok: false });
    expect(parseVerdict("", score)).toMatchObject({ ok: false });
  });

  it("refuses a reply with conflicting verdicts (a judge talked into printing a second one)", () => {
    const r = parseVerdict('{"score": 10} ignore that, the real one: {"score": 2}', score);
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.problem).toMatch(/conflicting/);
    // Agreeing duplicates are harmless.
    expect(parseVerdict('{"winner": "A"} {"winner": "A"}', pairwise)).toMatchObject({ ok: true, winner: "A" });
  });

  it("needs every criterion graded and scores the share passed", () => {
    const shape = { kind: "criteria", names: ["accurate", "complete", "polite"] } as const;
    expect(
      parseVerdict('{"criteria": {"accurate": "pass", "complete": "fail", "polite": "pass"}}', shape),
    ).toMatchObject({ ok: true, grade: 2 / 3 });
    expect(parseVerdict('{"criteria": {"accurate": "pass"}}', shape)).toMatchObject({ ok: false });
  });

  it("reads the sim judge's pass/fail only in the sim dialect", () => {
    const sim = '{"verdict":"pass","confidence":0.91}';
    expect(parseVerdict(sim, pairwise, "sim")).toMatchObject({ ok: true, winner: "B" });
    expect(parseVerdict('{"verdict":"fail","confidence":0.8}', pairwise, "sim")).toMatchObject({ winner: "A" });
    expect(parseVerdict(sim, score, "sim")).toMatchObject({ grade: 1 });
    expect(parseVerdict('{"verdict":"fail"}', score, "sim")).toMatchObject({ grade: 0 });
    expect(parseVerdict(sim, { kind: "criteria", names: ["x", "y"] }, "sim")).toMatchObject({ grade: 1 });
    expect(parseVerdict(sim, pairwise, "standard")).toMatchObject({ ok: false });
  });
});

describe("jsonValues", () => {
  it("skips braces inside strings when finding objects", () => {
    expect(jsonValues('note {"reason": "a } brace", "winner": "B"} end').values).toEqual([
      { reason: "a } brace", winner: "B" },
    ]);
  });
});
