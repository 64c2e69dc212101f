// exact: the output equals expected after trimming leading/trailing whitespace. Expected may be a
// list of acceptable answers; numbers and booleans compare by their string form ("18", "true").
import { expectedStrings } from "../expected.ts";
import type { ExactConfig, Scorer } from "../scorer.ts";

export function exactScorer(_config: ExactConfig): Scorer {
  return (output, item) => {
    const got = output.trim();
    const targets = expectedStrings(item, "exact").map((s) => s.trim());
    const pass = targets.includes(got);
    return { score: pass ? 1 : 0, pass, details: pass ? { matched: got } : { expected: targets[0] } };
  };
}
