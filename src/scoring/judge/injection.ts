import type { Item } from "../../core/types.ts";
import { aimedAtGrader, RULES } from "./injection-rules.ts";

// Text aimed at the judge rather than at the user: instructions to a grader or evaluator, role and
// system impersonation, requests for a score or a verdict, forged verdict formats. The judge sees
// every such text (question, reference, baseline and candidate answers) and each is checked; an
// answer that carries one scores as a loss for its author (live-judge.ts). Detection is measured
// on a planted corpus (recall) and on real recorded answers (false positives) in the tests.

/** Look-alike letters (Cyrillic and Greek) that spell Latin words to the eye. */
const CONFUSABLES: Record<string, string> = {
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ɡ: "g",
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  І: "I",
  ο: "o",
  α: "a",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ρ: "p",
  τ: "t",
  υ: "u",
};

/** The text as a reader sees it: look-alikes, invisible characters and letter spacing undone. */
export function normaliseForDetection(text: string): string {
  return (
    text
      .normalize("NFKC")
      .replace(/\p{Cf}/gu, "")
      .replace(/[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\u0261]/g, (c) => CONFUSABLES[c] ?? c)
      // "I g n o r e   p r e v i o u s": single letters spaced out, words separated by wider gaps.
      .replace(/\b(?:\p{L} ){3,}\p{L}\b/gu, (run) => run.replace(/ (?! )/g, ""))
      .replace(/[ \t]{2,}/g, " ")
  );
}

/** The first rule `text` breaks, with the words that broke it; null for ordinary text. */
export function detectInjection(text: string): { rule: string; match: string } | null {
  const seen = normaliseForDetection(text);
  for (const { rule, re } of RULES) {
    const m = re.exec(seen);
    if (m) return { rule, match: m[0].trim().slice(0, 120) };
  }
  const sentence = aimedAtGrader(seen);
  return sentence ? { rule: "grading, an answer and a verdict in one sentence", match: sentence } : null;
}

export function looksLikeInjection(text: string): boolean {
  return detectInjection(text) !== null;
}

/**
 * Whether an answer carries text aimed at the judge of its own: a passage it repeats from the
 * question (an answer quoting the user's prompt injection while refusing it) is the dataset's, not
 * the answer's, and is looked past.
 */
export function answerInjection(answer: string, question: string): { rule: string; match: string } | null {
  const asked = normaliseForDetection(question).toLowerCase();
  let text = answer;
  for (let round = 0; round < 8; round++) {
    const hit = detectInjection(text);
    if (!hit || !asked.includes(hit.match.toLowerCase())) return hit;
    const seen = normaliseForDetection(text);
    const at = seen.toLowerCase().indexOf(hit.match.toLowerCase());
    if (at < 0) return hit;
    text = `${seen.slice(0, at)} ${seen.slice(at + hit.match.length)}`;
  }
  return detectInjection(text);
}

/** Ids of items marked adversarial or whose judged texts look like an injection, in item order. */
export function injectionItems(items: readonly Item[], textsSeen: ReadonlyMap<string, readonly string[]>): string[] {
  return items
    .filter(
      (item) => item.metadata?.["adversarial"] === true || (textsSeen.get(item.id) ?? []).some(looksLikeInjection),
    )
    .map((item) => item.id);
}
