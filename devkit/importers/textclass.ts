import { createHash } from "node:crypto";
import { z } from "zod";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import type { RecordedOutcomeLine } from "../../src/contracts/recorded-outcome.ts";
import { parseJsonl, readTextFile } from "../../src/datasets/jsonl.ts";
import { type ImportedBenchmark, replaySpec } from "./imported-benchmark.ts";

const TextClassLine = z.object({
  id: z.string(),
  text: z.string(),
  gold: z.string(),
  pred: z.record(z.string(), z.string()),
});

export const TEXTCLASS_ATTRIBUTION = "TextClass Benchmark, B. Gonzalez-Bustamante, arXiv:2412.00539 (CC BY 4.0).";

/**
 * Models the benchmark ran locally (Ollama) have no token price. They are priced at the hosted-API
 * price of the same open model, stated in the spec, so cost comparisons never treat them as free;
 * GPU-hour pricing replaces this once self-hosted economics land.
 */
const SELF_HOSTED_EQUIVALENT: Record<string, { input: number; output: number }> = {
  "llama-3.1-70b@ollama": { input: 0.9, output: 0.9 },
  "llama-3.1-8b@ollama": { input: 0.2, output: 0.2 },
};

/**
 * One TextClass task: recorded labels of 15-20 models. Only the parsed label was recorded, so
 * output is the label and tokens are estimated from the text with the classification prompt.
 */
export function importTextClass(
  dir: string,
  task: string,
  opts: { models?: readonly string[] } = {},
): ImportedBenchmark & { labels: string[] } {
  const file = `${dir}/${task}.jsonl`;
  const text = readTextFile(file, `the TextClass task ${task}`);
  const meta = z
    .object({
      tasks: z.record(z.string(), z.object({ labels: z.array(z.string()), models_present: z.array(z.string()) })),
    })
    .parse(JSON.parse(readTextFile(`${dir}/meta.json`, "the TextClass meta")));
  const taskMeta = meta.tasks[task];
  if (!taskMeta) throw new Error(`TextClass meta has no task ${task}`);
  const lines = parseJsonl(text, file, TextClassLine, "the file must be the TextClass export as shipped");
  const models = opts.models ?? taskMeta.models_present;
  const fileKey = `memory:textclass-${task}`;
  const records: RecordedOutcomeLine[] = [];
  for (const line of lines) {
    for (const model of models) {
      const pred = line.pred[model];
      if (pred !== undefined) records.push({ itemId: line.id, model, output: pred });
    }
  }
  const labels = taskMeta.labels;
  const system = `Classify the text into exactly one label of: ${labels.join(", ")}. Answer with the label only.`;
  return {
    dataset: {
      name: `textclass-${task}`,
      file,
      hash: createHash("sha256").update(text).digest("hex"),
      items: lines.map((l) => ({ id: l.id, input: l.text, expected: l.gold, metadata: { feature: task } })),
    },
    records,
    fileKey,
    models: models.map((m): ModelSpec => {
      const equivalent = SELF_HOSTED_EQUIVALENT[m];
      return equivalent
        ? replaySpec(m, fileKey, {
            tier: "self-hosted (priced at the hosted API price of the same model)",
            pricing: equivalent,
          })
        : replaySpec(m, fileKey);
    }),
    render: (item) => ({
      messages: [
        { role: "system", content: system },
        { role: "user", content: String(item.input) },
      ],
      maxTokens: 4,
      temperature: 0,
    }),
    labels,
    attribution: TEXTCLASS_ATTRIBUTION,
  };
}
