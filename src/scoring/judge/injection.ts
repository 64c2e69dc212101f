import type { Item } from "../../core/types.ts";

// Items whose text tries to talk to the judge. The dataset marks the ones it plants
// (`metadata.adversarial: true`); text seen on the way to the judge is also checked for the usual
// phrasings, so an answer that carries an injection is listed too. Listing is for review: the
// prompt already treats every such text as data.

const PATTERNS: readonly RegExp[] = [
  /\bignore (all |any |the |your )?(previous |prior |above |earlier )?(instructions|rules|prompt)/i,
  /\b(rate|score|grade|mark) (this|it|me|the answer|this answer|this response)\b[^.\n]{0,40}\b(10|ten|100|perfect|highest|pass|a\+?)\b/i,
  /\b(give|award)s? (this|it|me|the answer|this answer) (a |an |the )?(10|ten|full marks|top score|perfect score|highest score|perfect)\b/i,
  /\b(you are|as) (the|an?) (judge|grader|evaluator)\b/i,
  /\bnote to (the )?(judge|grader|evaluator|ai|model|reviewer)\b/i,
  /\b(answer|response) [ab] is (the )?(best|better|correct|winner)\b/i,
  /"(winner|score|verdict)"\s*:/i,
];

export function looksLikeInjection(text: string): boolean {
  return PATTERNS.some((re) => re.test(text));
}

/** Ids of items marked adversarial or whose judged texts look like an injection, in item order. */
export function injectionItems(items: readonly Item[], textsSeen: ReadonlyMap<string, readonly string[]>): string[] {
  return items
    .filter(
      (item) => item.metadata?.["adversarial"] === true || (textsSeen.get(item.id) ?? []).some(looksLikeInjection),
    )
    .map((item) => item.id);
}
