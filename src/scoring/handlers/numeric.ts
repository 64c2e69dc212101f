// numeric: read the final number of the output and compare it with expected within a tolerance.
import type { Item } from "../../core/types.ts";
import { badExpected, expectedStrings } from "../expected.ts";
import { findNumbers, hashAnswer, type NumberToken, parseNumber, phraseAnswer, routellmAnswer } from "../numbers.ts";
import { type NumericConfig, type ScoreResult, type Scorer, ScorerConfigProblem } from "../scorer.ts";

export const DEFAULT_TOLERANCE = 1e-6;

export function numericScorer(config: NumericConfig): Scorer {
  if (config.routellmCompat) {
    const extra = (["tolerance", "relative", "extract"] as const).filter((k) => config[k] !== undefined);
    if (extra.length > 0) {
      throw new ScorerConfigProblem(
        extra[0] ?? "routellmCompat",
        `routellmCompat reproduces RouteLLM's integer rule and takes no ${extra.join("/")}`,
        `remove ${extra.join(", ")} or routellmCompat`,
      );
    }
    return routellmScorer;
  }
  const tolerance = config.tolerance ?? DEFAULT_TOLERANCE;
  const relative = config.relative;
  const extract = config.extract ?? "auto";
  return (output, item) => {
    const targets = expectedNumbers(item);
    const token = extractNumber(output, extract);
    if (!token) {
      const reason = extract === "hash" ? "no number after a #### marker" : "no number in the output";
      return { score: 0, pass: false, details: { reason, expected: targets[0] } };
    }
    const hit = targets.find((t) => close(token.value, t, tolerance, relative));
    const pass = hit !== undefined;
    return {
      score: pass ? 1 : 0,
      pass,
      details: { extracted: token.raw, value: token.value, expected: hit ?? targets[0] },
    };
  };
}

/** The number a numeric scorer reads from the output under an extraction mode. */
export function extractNumber(output: string, extract: NonNullable<NumericConfig["extract"]>): NumberToken | undefined {
  if (extract === "hash") return hashAnswer(output);
  if (extract === "auto") {
    const marked = hashAnswer(output) ?? phraseAnswer(output);
    if (marked) return marked;
  }
  const all = findNumbers(output);
  return extract === "first" ? all[0] : all[all.length - 1];
}

function close(value: number, expected: number, tolerance: number, relative: number | undefined): boolean {
  const diff = Math.abs(value - expected);
  return diff <= tolerance || (relative !== undefined && diff <= relative * Math.abs(expected));
}

function expectedNumbers(item: Item): number[] {
  return expectedStrings(item, "numeric").map((s) => {
    const n = parseNumber(s);
    if (n === undefined) {
      throw badExpected(
        item,
        "numeric",
        `expected "${s}" is not a number`,
        'write it as a plain number, e.g. 18 or "1,234.5"',
      );
    }
    return n;
  });
}

/** RouteLLM's GSM8K flag: the last digit run of the output equals the last digit run of expected. */
const routellmScorer: Scorer = (output, item): ScoreResult => {
  const [gold] = expectedStrings(item, "numeric");
  const want = gold === undefined ? undefined : routellmAnswer(gold);
  if (want === undefined) {
    throw badExpected(item, "numeric", `expected "${gold}" has no integer`, "give expected as an integer");
  }
  const got = routellmAnswer(output);
  const pass = got === want;
  return {
    score: pass ? 1 : 0,
    pass,
    details: { value: got === undefined ? null : got.toString(), expected: want.toString(), mode: "routellmCompat" },
  };
};
