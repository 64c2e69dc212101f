// label: classify the output as one of a closed set of labels, then compare with expected.
// 1. The whole output, trimmed of quotes/markdown/trailing punctuation and of a "Label:"-style
//    prefix, equals a label: that label.
//    Else the first line, treated the same way, is a label ("refund\nReason: not billing"): that label.
// 2. Otherwise exactly one label appears as a whole word (a label inside a longer one, like "toxic"
//    in "non-toxic", does not count): that label.
// 3. No label, or several ("billing or refund"): score 0 with details.reason.
// Case-insensitive unless caseSensitive. Expected (or each acceptable expected) must be a label.
import { badExpected, expectedStrings } from "../expected.ts";
import { type LabelConfig, type Scorer, ScorerConfigProblem } from "../scorer.ts";

export type LabelExtraction = { label: string } | { label?: undefined; reason: string; found: string[] };

const WRAP_START = /^[\s"'`*_([{<]+/u;
const WRAP_END = /[\s"'`*_)\]}>.!,;:]+$/u;
const PREFIX = /^(?:label|answer|category|class|classification|sentiment|intent|topic)\s*[:=-]\s*/iu;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function labelMatcher(labels: readonly string[], caseSensitive = false): (output: string) => LabelExtraction {
  const fold = caseSensitive ? (s: string) => s.normalize("NFKC") : (s: string) => s.normalize("NFKC").toLowerCase();
  const byFolded = new Map<string, string>();
  for (const label of labels) {
    const key = fold(label.trim());
    if (byFolded.has(key)) {
      throw new ScorerConfigProblem("labels", `label "${label}" is listed twice`, "list each label once");
    }
    byFolded.set(key, label);
  }
  const patterns = labels.map((label) => ({
    label,
    re: new RegExp(
      `(?<![\\p{L}\\p{N}_])${escapeRegExp(label.trim())}(?![\\p{L}\\p{N}_])`,
      caseSensitive ? "gu" : "giu",
    ),
  }));
  const asLabel = (text: string): string | undefined => {
    const bare = text.replace(WRAP_START, "").replace(WRAP_END, "");
    return byFolded.get(fold(bare)) ?? byFolded.get(fold(bare.replace(PREFIX, "").replace(WRAP_START, "")));
  };
  return (output) => {
    const text = output.normalize("NFKC");
    const firstLine = text.trim().split("\n")[0] ?? "";
    const whole = asLabel(text) ?? asLabel(firstLine);
    if (whole !== undefined) return { label: whole };
    const spans: Array<{ label: string; start: number; end: number }> = [];
    for (const { label, re } of patterns) {
      for (const m of text.matchAll(re)) spans.push({ label, start: m.index, end: m.index + m[0].length });
    }
    const standalone = spans.filter(
      (s) => !spans.some((o) => o !== s && o.start <= s.start && o.end >= s.end && o.end - o.start > s.end - s.start),
    );
    const found = [...new Set(standalone.map((s) => s.label))];
    const [only] = found;
    if (found.length === 1 && only !== undefined) return { label: only };
    return found.length === 0
      ? { reason: "the output names no valid label", found }
      : { reason: "the output names several labels", found };
  };
}

export function labelScorer(config: LabelConfig): Scorer {
  const caseSensitive = config.caseSensitive ?? false;
  const match = labelMatcher(config.labels, caseSensitive);
  const fold = caseSensitive
    ? (s: string) => s.normalize("NFKC").trim()
    : (s: string) => s.normalize("NFKC").trim().toLowerCase();
  const valid = new Set(config.labels.map(fold));
  return (output, item) => {
    const targets = expectedStrings(item, "label").map(fold);
    const unknown = targets.find((t) => !valid.has(t));
    if (unknown !== undefined) {
      throw badExpected(
        item,
        "label",
        `expected "${unknown}" is not one of the labels`,
        `use one of ${config.labels.join(", ")} or add it to the scorer's labels`,
      );
    }
    const got = match(output);
    if (got.label === undefined) {
      return { score: 0, pass: false, details: { reason: got.reason, found: got.found, expected: targets[0] } };
    }
    const pass = targets.includes(fold(got.label));
    return { score: pass ? 1 : 0, pass, details: { label: got.label, ...(pass ? {} : { expected: targets[0] }) } };
  };
}
