import { describe, expect, it } from "vitest";
import {
  answerLooksCorrect,
  corrupt,
  lastJson,
  renderCorrect,
  renderWrong,
  SIM_SLIPS,
  wrongNumber,
} from "./sim-answer.ts";

const style = (key: string, fence = false) => ({ verbosity: 1, fence, effort: 1, key });

describe("wrong answers", () => {
  it("a numeric slip never equals the answer", () => {
    for (const n of [0, 1, 2, 7, 10, 18, 20, 99, 100, 1234, -5, 2.5, 0.1]) {
      for (let k = 0; k < 40; k++) expect(wrongNumber(n, `k${k}`), `${n} k${k}`).not.toBe(n);
    }
  });

  it("corrupts one or two fields of an object, never none", () => {
    const expected = { date: "2024-03-07", amount: 120, payer: null, paid: true, tags: ["a", "b"] };
    for (let k = 0; k < 60; k++) {
      const out = corrupt(expected, [], `k${k}`) as Record<string, unknown>;
      const changed = Object.keys(expected).filter(
        (f) => JSON.stringify(out[f]) !== JSON.stringify(expected[f as keyof typeof expected]),
      );
      expect(changed.length).toBeGreaterThanOrEqual(1);
      expect(changed.length).toBeLessThanOrEqual(2);
    }
  });

  it("swaps month and day of a date, fills a null from the answer space", () => {
    const dates = new Set<unknown>();
    const fills = new Set<unknown>();
    for (let k = 0; k < 60; k++) {
      const out = corrupt(
        { date: "2024-03-07", payer: null },
        [{ date: "2023-01-01", payer: "ACME" }],
        `k${k}`,
      ) as Record<string, unknown>;
      dates.add(out["date"]);
      fills.add(out["payer"]);
    }
    expect(dates).toContain("2024-07-03");
    expect(fills).toContain("ACME");
  });

  it("never renders a wrong string equal to the expected one", () => {
    for (let k = 0; k < 30; k++) {
      expect(renderWrong("yes", ["yes", "no"], style(`k${k}`))).toBe("no");
      expect(renderWrong("yes", [], style(`k${k}`))).not.toBe("yes");
    }
    expect(renderWrong(true, [], style("k"))).toBe("false");
  });

  it("adds a slip sentence to wrong free text only", () => {
    const right = renderCorrect(undefined, style("p"));
    const wrong = renderWrong(undefined, [], style("p"));
    expect(SIM_SLIPS.some((s) => right.includes(s))).toBe(false);
    expect(SIM_SLIPS.some((s) => wrong.includes(s))).toBe(true);
  });
});

describe("reading answers back", () => {
  it("numbers: the last #### line, else the last number", () => {
    expect(answerLooksCorrect("Q: 3 + 4?\nA: ... #### 7", 7, [])).toBe(true);
    expect(answerLooksCorrect("Q: 3 + 4?\nA: ... #### 8", 7, [])).toBe(false);
    expect(answerLooksCorrect("Q: 3 + 4?\nA: it is 1,007", 1007, [])).toBe(true);
    expect(answerLooksCorrect("no numbers here", 7, [])).toBeUndefined();
  });

  it("strings: the last label mentioned", () => {
    const space = ["toxic", "not toxic"];
    expect(answerLooksCorrect("Labels: toxic, not toxic.\nAnswer: not toxic", "not toxic", space)).toBe(true);
    expect(answerLooksCorrect("Labels: toxic, not toxic.\nAnswer: toxic", "not toxic", space)).toBe(false);
    expect(answerLooksCorrect("Answer: unknown", "toxic", [])).toBe(false);
  });

  it("objects: the last JSON block, fenced or not, compared canonically", () => {
    const expected = { a: 1, b: "x" };
    expect(answerLooksCorrect('Schema {"a": 0}\nAnswer:\n```json\n{"b":"x","a":1}\n```', expected, [])).toBe(true);
    expect(answerLooksCorrect('Answer: {"a":2,"b":"x"} done', expected, [])).toBe(false);
    expect(lastJson('x {"k": [1, {"z": 2}]} y')).toEqual({ k: [1, { z: 2 }] });
    expect(lastJson("nothing {here")).toBeUndefined();
  });
});
