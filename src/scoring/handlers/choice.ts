// choice: extract a multiple-choice letter (default A-D) and compare it with expected.
// Expected is a letter ("B", "(b)") or a 0-based index into the choices (HF MMLU's `answer`).
// Extraction, first rule that yields a letter wins:
// 1. the whole output, or else its first line, is a letter, maybe wrapped: "B", "(b)", "**B**",
//    "B.", "Answer: B", "B\nBecause A is wrong";
// 2. the last explicit statement: "answer is (C)", "Answer: C", "correct option is C";
// 3. a leading marker: "B) Paris", "(B) Paris", "B. Paris", "B: Paris";
// 4. exactly one distinct letter standing alone: "(C)" or a capital letter as its own word, where
//    "A"/"I" followed by a lower-case word are read as English ("A cat", "I think"), not choices.
// Several letters ("A or B") or none: score 0 with details.reason.
import type { Item } from "../../core/types.ts";
import { badExpected, describe } from "../expected.ts";
import { type ChoiceConfig, type Scorer, ScorerConfigProblem } from "../scorer.ts";

export type ChoiceExtraction = { choice: string } | { choice?: undefined; reason: string; found: string[] };

const DEFAULT_CHOICES = ["A", "B", "C", "D"];
const WHOLE =
  /^[\s"'`*_([{]*(?:(?:the\s+)?(?:final\s+)?(?:answer|option|choice)\s*(?:is|:|=)?\s*)?[\s"'`*_([{]*([A-Za-z])[\s"'`*_)\]}.!:]*$/iu;
const EXPLICIT =
  /\b(?:answer|correct\s+(?:option|choice|letter))\s*(?:is|:|=)\s*(?:option\s+|choice\s+)?[*_\s]*(?:\(([A-Za-z])\)|\[([A-Za-z])\]|([A-Z])(?![\p{L}\p{N}]))/gu;
const LEADING = /^[\s*_]*(?:\(([A-Za-z])\)|([A-Z])[).:])(?:\s|$)/u;
const STANDALONE = /\(([A-Za-z])\)|(?<![\p{L}\p{N}'’])([A-Z])(?![\p{L}\p{N}'’])/gu;
const ENGLISH_AFTER_A_OR_I = /^\s+(?!(?:is|and|or)\b)[a-z]/u;

export function choiceMatcher(choices: readonly string[]): (output: string) => ChoiceExtraction {
  const valid = new Set(choices);
  const pick = (...letters: Array<string | undefined>): string | undefined => {
    const letter = letters.find((l) => l !== undefined)?.toUpperCase();
    return letter !== undefined && valid.has(letter) ? letter : undefined;
  };
  return (output) => {
    const whole = WHOLE.exec(output) ?? WHOLE.exec(output.trim().split("\n")[0] ?? "");
    const w = whole && pick(whole[1]);
    if (w) return { choice: w };
    let explicit: string | undefined;
    for (const m of output.matchAll(EXPLICIT)) explicit = pick(m[1], m[2], m[3]) ?? explicit;
    if (explicit) return { choice: explicit };
    const lead = LEADING.exec(output);
    const l = lead && pick(lead[1], lead[2]);
    if (l) return { choice: l };
    const found = new Set<string>();
    for (const m of output.matchAll(STANDALONE)) {
      const bare = m[2];
      if ((bare === "A" || bare === "I") && ENGLISH_AFTER_A_OR_I.test(output.slice(m.index + 1))) continue;
      const letter = pick(m[1], bare);
      if (letter) found.add(letter);
    }
    const list = [...found];
    const [only] = list;
    if (list.length === 1 && only !== undefined) return { choice: only };
    return list.length === 0
      ? { reason: "the output names no choice letter", found: list }
      : { reason: "the output names several choices", found: list };
  };
}

export function choiceScorer(config: ChoiceConfig): Scorer {
  const choices = (config.choices ?? DEFAULT_CHOICES).map((c) => c.toUpperCase());
  if (new Set(choices).size !== choices.length) {
    throw new ScorerConfigProblem("choices", "a choice letter is listed twice", "list each letter once");
  }
  const match = choiceMatcher(choices);
  return (output, item) => {
    const want = expectedChoice(item, choices);
    const got = match(output);
    if (got.choice === undefined) {
      return { score: 0, pass: false, details: { reason: got.reason, found: got.found, expected: want } };
    }
    const pass = got.choice === want;
    return { score: pass ? 1 : 0, pass, details: { choice: got.choice, ...(pass ? {} : { expected: want }) } };
  };
}

function expectedChoice(item: Item, choices: readonly string[]): string {
  const e = item.expected;
  const fix = `give expected as one of ${choices.join(", ")} or a 0-based index below ${choices.length}`;
  if (typeof e === "number") {
    const letter = Number.isInteger(e) ? choices[e] : undefined;
    if (letter === undefined) throw badExpected(item, "choice", `expected index ${e} is out of range`, fix);
    return letter;
  }
  if (typeof e === "string") {
    const letter = e.replace(/^[\s(]+|[\s).]+$/g, "").toUpperCase();
    if (!choices.includes(letter)) throw badExpected(item, "choice", `expected "${e}" is not a choice`, fix);
    return letter;
  }
  throw badExpected(item, "choice", `expected is ${describe(e)}`, fix);
}
