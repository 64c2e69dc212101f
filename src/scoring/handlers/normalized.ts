// normalized: exact match ignoring case, whitespace and punctuation. Both sides are NFKC-folded,
// lower-cased, stripped of punctuation and symbols (removed, not replaced: "don't" == "dont",
// "U.S.A." == "usa"; "end-to-end" == "endtoend", which is not "end to end") and whitespace runs
// collapse to one space. Articles are kept ("the cat" != "cat").
import { expectedStrings } from "../expected.ts";
import type { NormalizedConfig, Scorer } from "../scorer.ts";

export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
}

export function normalizedScorer(_config: NormalizedConfig): Scorer {
  return (output, item) => {
    const got = normalizeText(output);
    const targets = expectedStrings(item, "normalized").map(normalizeText);
    const pass = targets.includes(got);
    return { score: pass ? 1 : 0, pass, details: { normalized: got, ...(pass ? {} : { expected: targets[0] }) } };
  };
}
