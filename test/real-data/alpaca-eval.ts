import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { type ImportedBenchmark, replaySpec } from "../../devkit/importers/imported-benchmark.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import type { RecordedOutcomeLine } from "../../src/contracts/recorded-outcome.ts";

// AlpacaEval's judged outputs (tatsu-lab/alpaca_eval, data CC BY-NC 4.0): read in place by tests
// only, never copied into the project and never shipped, which is why this reader lives in test/.

export const ALPACA_ATTRIBUTION =
  "AlpacaEval outputs and GPT-4-turbo verdicts from tatsu-lab/alpaca_eval (commit cd543a1); data CC BY-NC 4.0, non-commercial: tests only.";

const Line = z.object({
  id: z.number().int(),
  dataset: z.string(),
  instruction: z.string(),
  models: z.record(z.string(), z.object({ output: z.string(), preference: z.number(), p_win_vs_ref: z.number() })),
});

export const REFERENCE_MODEL = "gpt4_1106_preview";

/**
 * Rough list prices (USD per 1M tokens, input/output) for the cost axis of these tests only; the
 * recorded verdicts, not these, are what the tests check.
 */
const PRICES: Record<string, { input: number; output: number }> = {
  gpt4_1106_preview: { input: 10, output: 30 },
  "claude-2.1": { input: 8, output: 24 },
  "claude-instant-1.2": { input: 0.8, output: 2.4 },
  "gpt-3.5-turbo-1106": { input: 1, output: 2 },
  "Mixtral-8x7B-Instruct-v0.1_concise": { input: 0.6, output: 0.6 },
  "gemma-7b-it": { input: 0.2, output: 0.2 },
  "gemma-2b-it": { input: 0.1, output: 0.1 },
};

export function importAlpacaEval(dir: string, models: readonly string[]) {
  const text = gunzipSync(readFileSync(`${dir}/judged_outputs.jsonl.gz`)).toString("utf8");
  const lines = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => Line.parse(JSON.parse(l)));
  const fileKey = "memory:alpaca-eval";
  const records: RecordedOutcomeLine[] = [];
  const scores: Record<string, Record<string, number>> = {};
  for (const line of lines) {
    const row: Record<string, number> = {};
    for (const model of models) {
      const m = line.models[model];
      if (!m) continue;
      records.push({ itemId: String(line.id), model, output: m.output });
      row[`replay:${model}`] = m.p_win_vs_ref;
    }
    scores[String(line.id)] = row;
  }
  const bench: ImportedBenchmark = {
    dataset: {
      name: "alpaca-eval",
      file: `${dir}/judged_outputs.jsonl.gz`,
      hash: createHash("sha256").update(text).digest("hex"),
      items: lines.map((l) => ({
        id: String(l.id),
        input: l.instruction,
        // The reference the verdicts were given against: the reference model's output.
        expected: l.models[REFERENCE_MODEL]!.output,
        metadata: { feature: l.dataset },
      })),
    },
    records,
    fileKey,
    models: models.map((m): ModelSpec => replaySpec(m, fileKey, { pricing: PRICES[m]! })),
    render: (item) => ({ messages: [{ role: "user", content: String(item.input) }], maxTokens: 2048, temperature: 0 }),
    attribution: ALPACA_ATTRIBUTION,
  };
  return { bench, scores };
}

/** The leaderboard's win rate (x 100) per model, from its CSV. */
export function leaderboardWinRates(dir: string): Map<string, number> {
  const [header, ...rows] = readFileSync(`${dir}/leaderboard_weighted_alpaca_eval_gpt4_turbo.csv`, "utf8")
    .trim()
    .split("\n");
  const cols = header!.split(",");
  const winRate = cols.indexOf("win_rate");
  const out = new Map<string, number>();
  for (const row of rows) {
    // Model names contain no commas; the first column is the name.
    const cells = row.split(",");
    out.set(cells[0]!, Number(cells[winRate]));
  }
  return out;
}

/** Every recorded answer text: the 7 judged models' and the 7 unjudged modern models' outputs. */
export function alpacaAnswers(dir: string): string[] {
  const out: string[] = [];
  for (const file of ["judged_outputs.jsonl.gz", "unjudged_modern_outputs.jsonl.gz"]) {
    for (const line of gunzipSync(readFileSync(`${dir}/${file}`))
      .toString("utf8")
      .split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { models?: Record<string, { output: string }>; outputs?: Record<string, string> };
      for (const m of Object.values(row.models ?? {})) out.push(m.output);
      for (const text of Object.values(row.outputs ?? {})) out.push(text);
    }
  }
  return out;
}
