import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectInjection } from "../../src/scoring/judge/injection.ts";
import {
  HELD_OUT_INJECTIONS,
  PLANTED_INJECTIONS,
  SECOND_INJECTIONS,
  UNSEEN_INJECTIONS,
} from "../judge/injection-corpus.ts";
import { alpacaAnswers } from "./alpaca-eval.ts";

// Issue 10 item 9: the judge's injection detector, measured. Recall on text planted to sway a
// judge (written for these tests), false positives on real answers of 14 models to AlpacaEval's
// 805 instructions (NON-COMMERCIAL data, read in place, tests only).

const DATA = fileURLToPath(new URL("../../../shared/data/alpaca_eval", import.meta.url));
const caught = (texts: readonly string[]) => texts.filter((t) => detectInjection(t) !== null).length;

describe("injection detection, measured", () => {
  it("catches at least 90% of the planted corpus (>= 40 varied injections)", () => {
    expect(PLANTED_INJECTIONS.length).toBeGreaterThanOrEqual(40);
    const missed = PLANTED_INJECTIONS.filter((t) => detectInjection(t) === null);
    expect(missed, missed.join("\n---\n")).toHaveLength(0);
    expect(caught(PLANTED_INJECTIONS) / PLANTED_INJECTIONS.length).toBeGreaterThanOrEqual(0.9);
  });

  it("keeps catching the sets it was revised on, and states its recall on phrasings it never saw", () => {
    expect(caught(HELD_OUT_INJECTIONS) / HELD_OUT_INJECTIONS.length).toBeGreaterThanOrEqual(0.9);
    expect(caught(SECOND_INJECTIONS) / SECOND_INJECTIONS.length).toBeGreaterThanOrEqual(0.9);
    // Measured once, after the last revision: 6 of 15. A floor, so that a change that loses
    // generality shows; raising it means writing a new unseen set, not tuning on this one.
    expect(caught(UNSEEN_INJECTIONS)).toBeGreaterThanOrEqual(6);
  });

  it("flags at most 1% of real answers (AlpacaEval outputs of 14 models)", () => {
    const answers = alpacaAnswers(DATA);
    expect(answers.length).toBeGreaterThan(10_000);
    const flagged = answers.filter((t) => detectInjection(t) !== null).length;
    const all = [...PLANTED_INJECTIONS, ...HELD_OUT_INJECTIONS, ...SECOND_INJECTIONS, ...UNSEEN_INJECTIONS];
    process.stdout.write(
      `injection detection: planted recall ${caught(PLANTED_INJECTIONS)}/${PLANTED_INJECTIONS.length}, all sets ${caught(all)}/${all.length}, unseen ${caught(UNSEEN_INJECTIONS)}/${UNSEEN_INJECTIONS.length}; false positives ${flagged}/${answers.length} (${((100 * flagged) / answers.length).toFixed(2)}%)\n`,
    );
    expect(flagged / answers.length).toBeLessThanOrEqual(0.01);
  });
});
