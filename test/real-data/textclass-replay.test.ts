import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runImported } from "../../devkit/importers/run-imported.ts";
import { importTextClass } from "../../devkit/importers/textclass.ts";

// docs/metrics.md#many-models fixtures: label exact match over all items, per model and the any-model oracle.
const DATA = fileURLToPath(new URL("../../../shared/data/textclass", import.meta.url));

describe.each([
  { task: "toxicity_en", items: 750, models: 20, gpt4o: 0.9413, mini: 0.964, flash8b: 0.9347, oracle: 0.996 },
  { task: "policy_topic_en", items: 926, models: 18, gpt4o: 0.6879, mini: 0.6058, flash8b: 0.5421, oracle: 0.8639 },
])("TextClass $task replay", ({ task, items, models, gpt4o, mini, flash8b, oracle }) => {
  it("reproduces per-model accuracy and the per-item oracle", async () => {
    const bench = importTextClass(DATA, task);
    expect(bench.models).toHaveLength(models);
    const { summary } = await runImported(bench, {
      name: task,
      scorer: { type: "label", labels: bench.labels },
      split: false,
    });
    const q = (model: string) => summary.models.find((m) => m.id === `replay:${model}`)!.quality;
    expect(summary.dataset.items).toBe(items);
    expect(q("gpt-4o-2024-05-13")).toBeCloseTo(gpt4o, 4);
    expect(q("gpt-4o-mini-2024-07-18")).toBeCloseTo(mini, 4);
    expect(q("gemini-1.5-flash-8b")).toBeCloseTo(flash8b, 4);
    expect(summary.oracle.quality).toBeCloseTo(oracle, 4);
    // The oracle is paid at the cheapest model reaching the best score: far below gpt-4o's cost.
    const gpt4oCost = summary.models.find((m) => m.id === "replay:gpt-4o-2024-05-13")!.costPer1k;
    expect(summary.oracle.costPer1k).toBeLessThan(gpt4oCost / 5);
    // Single models on the frontier are a subset of the models; AIQ is defined.
    expect(summary.frontier.length).toBeGreaterThan(0);
    expect(summary.aiq.models).not.toBeNull();
  }, 120_000);
});
