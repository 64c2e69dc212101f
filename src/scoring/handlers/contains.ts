// contains: `value` (or else expected; a list means any of them) appears in the output as a
// substring. Case-insensitive unless caseSensitive. A substring test: "18" is contained in "180";
// use numeric or label for answers that must stand alone.
import { expectedStrings } from "../expected.ts";
import type { ContainsConfig, Scorer } from "../scorer.ts";

export function containsScorer(config: ContainsConfig): Scorer {
  const fold = config.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  return (output, item) => {
    const needles = config.value !== undefined ? [config.value] : expectedStrings(item, "contains");
    const hay = fold(output);
    const found = needles.find((n) => n !== "" && hay.includes(fold(n)));
    const pass = found !== undefined;
    return { score: pass ? 1 : 0, pass, details: pass ? { found } : { expected: needles[0], reason: "not found" } };
  };
}
