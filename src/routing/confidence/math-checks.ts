import { inputText } from "../builtin/length.ts";
import { finalNumber } from "./final-answer.ts";
import type { CodeVerifier } from "./types.ts";
import { arithmeticChecksOut, hasFinalNumber } from "./verifiers.ts";

// Form checks of a worked numeric answer (a word problem's solution), as features for a learned
// cascade: none proves an answer right, each is evidence a learner can weigh. They read the answer
// and the question only, and return null where they do not apply, so they are harmless on other
// kinds of answers.

const NUMBER = /\d[\d,]*(?:\.\d+)?/g;
const numbers = (text: string) => (text.match(NUMBER) ?? []).map((n) => Number(n.replaceAll(",", "")));

/** The answer hedges, rounds, backtracks or doubts the problem. */
export function noHedging(): CodeVerifier {
  return (output) =>
    !/\b(approximately|assum\w*|round\w*|estimate\w*|cannot|not possible|impossible|unclear|however|mistake|recalculat\w*|correction)\b/i.test(
      output,
    );
}

/** The final answer is the result of the last equation written (no step after the computation). */
export function finalIsLastResult(): CodeVerifier {
  return (output) => {
    const final = finalNumber(output);
    const results = [...output.matchAll(/=\s*\$?(-?\d[\d,]*(?:\.\d+)?)/g)];
    if (!final || !results.length) return null;
    return Number(results.at(-1)![1]!.replaceAll(",", "")) === final.value;
  };
}

/** Every number the question gives appears in the answer (a solution that ignores one is suspect). */
export function usesEveryGivenNumber(): CodeVerifier {
  return (output, item) => {
    const given = new Set(numbers(inputText(item)));
    if (!given.size) return null;
    const used = new Set(numbers(output));
    for (const n of given) if (!used.has(n)) return false;
    return true;
  };
}

/** The final answer is a whole, non-negative number (most counting and money problems ask for one). */
export function finalIsWholeNumber(): CodeVerifier {
  return (output) => {
    const final = finalNumber(output);
    return final ? Number.isInteger(final.value) && final.value >= 0 : null;
  };
}

/** The worked answer stays in whole numbers (no decimals, fractions or percentages in the working). */
export function noDecimalsOrFractions(): CodeVerifier {
  return (output) => !/\d\.\d|\d\s*\/\s*\d|%|percent/i.test(output);
}

/** The working is short (at most six non-empty lines). */
export function shortWorking(): CodeVerifier {
  return (output) => output.split("\n").filter((l) => l.trim()).length <= 6;
}

/** All of the above, with the final-answer marker and the arithmetic re-check. */
export function workedAnswerChecks(): CodeVerifier[] {
  return [
    hasFinalNumber(),
    arithmeticChecksOut(),
    noHedging(),
    finalIsLastResult(),
    usesEveryGivenNumber(),
    finalIsWholeNumber(),
    noDecimalsOrFractions(),
    shortWorking(),
  ];
}
