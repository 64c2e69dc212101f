// regex: pass when the pattern matches the output. Expected is not used. The "g" and "y" flags are
// dropped (they would make matching depend on earlier calls); an invalid pattern or flag is a
// config error at creation, not a 0 at scoring time.
import { type RegexConfig, type Scorer, ScorerConfigProblem } from "../scorer.ts";

export function regexScorer(config: RegexConfig): Scorer {
  const flags = (config.flags ?? "").replace(/[gy]/g, "");
  let re: RegExp;
  try {
    re = new RegExp(config.pattern, flags);
  } catch (err) {
    const bad = /flag/i.test(String(err)) ? "flags" : "pattern";
    throw new ScorerConfigProblem(
      bad,
      `invalid regular expression: ${err instanceof Error ? err.message : String(err)}`,
      bad === "flags"
        ? "use JavaScript RegExp flags (i, m, s, u)"
        : "write a JavaScript RegExp pattern (escape \\ in JSON)",
    );
  }
  return (output) => {
    const m = re.exec(output);
    return m
      ? { score: 1, pass: true, details: { match: m[0] } }
      : { score: 0, pass: false, details: { reason: "no match" } };
  };
}
