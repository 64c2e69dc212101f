import { createHash } from "node:crypto";
import { z } from "zod";
import type { RecordedOutcomeLine } from "../../src/contracts/recorded-outcome.ts";
import { parseJsonl, readTextFile } from "../../src/datasets/jsonl.ts";
import type { ImportedBenchmark } from "./imported-benchmark.ts";
import { replaySpec } from "./imported-benchmark.ts";

const Gsm8kLine = z.object({
  id: z.string(),
  question: z.string(),
  gold_answer: z.string(),
  contaminated_per_routellm: z.boolean(),
  models: z.record(z.string(), z.object({ response: z.string(), correct: z.boolean() })),
});

const Meta = z.object({ strong_model: z.string(), weak_model: z.string(), gsm8k_fewshot_prefix: z.string() });

export const GSM8K_ATTRIBUTION =
  "GSM8K responses of Mixtral-8x7B-Instruct and GPT-4-1106-preview from lm-sys/RouteLLM (Apache-2.0); GSM8K (MIT, openai/grade-school-math).";

/**
 * RouteLLM's recorded GSM8K responses (two models, 1319 items). The 8-shot prefix the responses
 * were generated with is the stable system part, so input tokens are estimated on the real prompt.
 * `correct` (RouteLLM's flag) is kept in metadata for agreement checks; scoring uses our scorers.
 */
export function importGsm8k(
  dir: string,
  opts: { excludeContaminated?: boolean } = {},
): ImportedBenchmark & { weak: string; strong: string } {
  const file = `${dir}/gsm8k_two_models.jsonl`;
  const text = readTextFile(file, "the GSM8K records");
  const meta = Meta.parse(JSON.parse(readTextFile(`${dir}/meta.json`, "the GSM8K meta")));
  const lines = parseJsonl(text, file, Gsm8kLine, "the file must be RouteLLM's GSM8K export as shipped").filter(
    (l) => !(opts.excludeContaminated && l.contaminated_per_routellm),
  );
  const fileKey = `memory:gsm8k${opts.excludeContaminated ? "-clean" : ""}`;
  const records: RecordedOutcomeLine[] = [];
  for (const line of lines) {
    for (const [model, outcome] of Object.entries(line.models)) {
      records.push({ itemId: line.id, model, output: outcome.response });
    }
  }
  const prefix = meta.gsm8k_fewshot_prefix;
  return {
    dataset: {
      name: opts.excludeContaminated ? "gsm8k-uncontaminated" : "gsm8k",
      file,
      hash: createHash("sha256")
        .update(text)
        .update(opts.excludeContaminated ? ":clean" : "")
        .digest("hex"),
      items: lines.map((l) => ({
        id: l.id,
        input: l.question,
        expected: Number(l.gold_answer.replaceAll(",", "")),
        metadata: {
          feature: "gsm8k",
          contaminated: l.contaminated_per_routellm,
          routellmCorrect: Object.fromEntries(Object.entries(l.models).map(([m, o]) => [m, o.correct])),
        },
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
    render: (item) => ({
      messages: [
        { role: "system", content: prefix },
        { role: "user", content: `Question: ${String(item.input)}\nAnswer:` },
      ],
      maxTokens: 512,
      temperature: 0,
      cache: { prefixMessages: 1 },
    }),
    attribution: GSM8K_ATTRIBUTION,
  };
}
