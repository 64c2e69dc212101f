import type { ImportedBenchmark } from "../../devkit/importers/imported-benchmark.ts";
import { replaySpec } from "../../devkit/importers/imported-benchmark.ts";
import type { RecordedOutcomeLine } from "../../src/contracts/recorded-outcome.ts";

export const COST = { cheap: 0.001, mid: 0.01, strong: 0.1 } as const;
export type Tier = keyof typeof COST;

/**
 * A small in-memory benchmark for engine tests: 40 numeric items, three replay models with known
 * costs. The cheap model is right on even items and says so with a confident logprob; `mid` is
 * right on items divisible by 4 or even-numbered; the strong model is right everywhere except item 7.
 * Items 3 and 6 are marked adversarial.
 */
export function syntheticBenchmark(): ImportedBenchmark {
  const items = Array.from({ length: 40 }, (_, i) => ({
    id: `q${i}`,
    input: `Question ${i}: what is ${i} plus ${i}?${i % 5 === 0 ? " Explain every step in detail, please." : ""}`,
    expected: 2 * i,
    metadata: i === 3 || i === 6 ? { adversarial: true, tags: ["prompt-injection"] } : {},
  }));
  const records: RecordedOutcomeLine[] = [];
  items.forEach((item, i) => {
    const right: Record<Tier, boolean> = { cheap: i % 2 === 0, mid: i % 2 === 0 || i % 3 === 0, strong: i !== 7 };
    for (const tier of Object.keys(COST) as Tier[]) {
      const answer = right[tier] ? 2 * i : 2 * i + 1;
      records.push({
        itemId: item.id,
        model: tier,
        output: `${i} + ${i} = ${answer}\n#### ${answer}`,
        costUsd: COST[tier],
        latencyMs: tier === "strong" ? 1000 : 100,
        logprobs: right[tier] ? { mean: -0.05, min: -0.5 } : { mean: -0.9, min: -4 },
      });
    }
  });
  const fileKey = "memory:synthetic-routing";
  return {
    dataset: { name: "synthetic", file: "synthetic.jsonl", hash: "synthetic", items },
    records,
    fileKey,
    models: (Object.keys(COST) as Tier[]).map((t) => replaySpec(t, fileKey)),
    render: (item) => ({ messages: [{ role: "user", content: String(item.input) }], maxTokens: 50, temperature: 0 }),
    attribution: "synthetic test data",
  };
}
