import { createHash } from "node:crypto";
import { z } from "zod";
import type { RecordedOutcomeLine } from "../../src/contracts/recorded-outcome.ts";
import { parseJsonl, readTextFile } from "../../src/datasets/jsonl.ts";
import { type ImportedBenchmark, replaySpec } from "./imported-benchmark.ts";

const MtBenchLine = z.object({
  id: z.string(),
  question_id: z.number().int(),
  turn: z.number().int().min(1),
  category: z.string(),
  turns: z.array(z.string()).min(1),
  models: z.record(
    z.string(),
    z.object({ answer_this_turn: z.string(), judge: z.string(), score: z.number(), judgment: z.string() }),
  ),
});

const Meta = z.object({ strong_model: z.string(), weak_model: z.string() });

export const MTBENCH_ATTRIBUTION =
  "MT-bench answers of Mixtral-8x7B-Instruct and GPT-4-1106-preview with GPT-4 single-answer judgements, from lm-sys/RouteLLM (Apache-2.0); MT-bench questions from lm-sys/FastChat (Apache-2.0).";

/** The judge named by the records: MT-bench's GPT-4 single-answer grading (prompt variants by category and turn). */
export const MTBENCH_JUDGE = "gpt-4 single-v1 (MT-bench)";

/**
 * RouteLLM's MT-bench records: 80 questions x 2 turns, each model's answer and GPT-4's 1-10
 * single-answer score. The scores are replayed as recorded verdicts (`scores`, for a
 * `judge-recorded` scorer): they validate the rubric aggregation and give a routing report on
 * open-ended answers. The two turns of a question share a split group. A second turn's real
 * prompt also held the model's own first answer; the render shows both questions only, so its
 * input tokens are an underestimate (the records carry no token counts).
 */
export function importMtBench(dir: string): ImportedBenchmark & {
  weak: string;
  strong: string;
  scores: Record<string, Record<string, number>>;
  judge: string;
} {
  const file = `${dir}/mtbench_two_models.jsonl`;
  const text = readTextFile(file, "the MT-bench records");
  const meta = Meta.parse(JSON.parse(readTextFile(`${dir}/meta.json`, "the RouteLLM meta")));
  const lines = parseJsonl(text, file, MtBenchLine, "the file must be RouteLLM's MT-bench export as shipped");
  const fileKey = "memory:mtbench";
  const records: RecordedOutcomeLine[] = [];
  const scores: Record<string, Record<string, number>> = {};
  for (const line of lines) {
    const row: Record<string, number> = {};
    for (const [model, r] of Object.entries(line.models)) {
      records.push({ itemId: line.id, model, output: r.answer_this_turn });
      row[`replay:${model}`] = r.score;
    }
    scores[line.id] = row;
  }
  const inputOf = (l: z.infer<typeof MtBenchLine>) =>
    l.turns
      .slice(0, l.turn)
      .map((t, i) => (l.turn > 1 ? `Turn ${i + 1}: ${t}` : t))
      .join("\n\n");
  return {
    dataset: {
      name: "mtbench",
      file,
      hash: createHash("sha256").update(text).digest("hex"),
      items: lines.map((l) => ({
        id: l.id,
        input: inputOf(l),
        metadata: { feature: l.category, group: `mtbench-${l.question_id}`, turn: l.turn },
      })),
    },
    records,
    fileKey,
    models: [
      replaySpec(meta.weak_model, fileKey, { tier: "weak" }),
      replaySpec(meta.strong_model, fileKey, { tier: "strong" }),
    ],
    weak: `replay:${meta.weak_model}`,
    strong: `replay:${meta.strong_model}`,
    scores,
    judge: MTBENCH_JUDGE,
    render: (item) => ({
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: String(item.input) },
      ],
      maxTokens: 1024,
      temperature: 0,
    }),
    attribution: MTBENCH_ATTRIBUTION,
  };
}
