import type { DatasetLine } from "../contracts/dataset-line.ts";
import type { DecisionLogLine } from "../contracts/decision-log-line.ts";
import { redactPii } from "../core/redact-pii.ts";
import type { Rng } from "../stats/random.ts";

// `routegate traffic sample`: live requests -> dataset lines a person labels. Only answered
// requests whose content was logged are eligible; the text is redacted again (an older log may
// predate a rule), near-duplicates are dropped (templated traffic repeats itself), and the sample
// is stratified by feature (route) and chosen model, each stratum in proportion to its traffic.

export interface SampleOptions {
  n: number;
  seed: string | number;
  /** Two inputs whose word-bigram Jaccard similarity reaches this are near-duplicates (default 0.8). */
  nearDuplicate?: number;
  /** Only these routes (default all). */
  routes?: readonly string[];
}

export interface TrafficSample {
  lines: DatasetLine[];
  eligible: number;
  withoutContent: number;
  duplicates: number;
  strata: Array<{ route: string; model: string; traffic: number; sampled: number }>;
}

export function sampleTraffic(log: readonly DecisionLogLine[], opts: SampleOptions, rng: Rng): TrafficSample {
  const threshold = opts.nearDuplicate ?? 0.8;
  const answered = log.filter((l) => l.status === 200 && (!opts.routes || opts.routes.includes(l.route)));
  const withContent = answered.filter((l) => typeof l.input === "string" && l.input.trim());
  const strata = new Map<string, DecisionLogLine[]>();
  for (const l of withContent) {
    const key = `${l.route}\u0000${l.chosen ?? "?"}`;
    strata.set(key, [...(strata.get(key) ?? []), l]);
  }
  const quotas = proportional(
    [...strata.values()].map((s) => s.length),
    Math.min(opts.n, withContent.length),
  );
  const lines: DatasetLine[] = [];
  const report: TrafficSample["strata"] = [];
  let duplicates = 0;
  [...strata.entries()].forEach(([key, members], i) => {
    const [route, model] = key.split("\u0000") as [string, string];
    const kept: Array<Set<string>> = [];
    let sampled = 0;
    for (const l of shuffled(members, rng)) {
      if (sampled >= quotas[i]!) break;
      const text = redactPii(l.input!);
      const grams = bigrams(text);
      if (kept.some((k) => jaccard(k, grams) >= threshold)) {
        duplicates++;
        continue;
      }
      kept.push(grams);
      sampled++;
      lines.push({
        id: l.decisionId,
        input: text,
        // No `expected`: a person labels each line (the label's source is recorded beside it).
        metadata: { route, chosenModel: model, label: "unlabelled", ...(l.at ? { at: l.at } : {}) },
      });
    }
    report.push({ route, model, traffic: members.length, sampled });
  });
  return {
    lines,
    eligible: withContent.length,
    withoutContent: answered.length - withContent.length,
    duplicates,
    strata: report,
  };
}

/** Largest-remainder shares of `total` in proportion to `sizes`. */
function proportional(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (!sum) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function bigrams(text: string): Set<string> {
  const words = text.toLowerCase().replace(/\d+/g, "0").split(/\W+/).filter(Boolean);
  if (words.length < 2) return new Set(words);
  const out = new Set<string>();
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}
