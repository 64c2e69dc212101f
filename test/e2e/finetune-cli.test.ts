import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { splitPart } from "../../src/stats/index.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// From "our flagship answers this feature well" to a gated fine-tuned candidate with a break-even
// figure, with routegate commands only: eval (the teacher answers every item), distill (train
// split only), finetune submit (OpenAI jobs on the local fake server), eval again with the
// registered ft: model, plan. The fake's fine-tuned model answers from a table of capitals.

const CAPITALS: Record<string, string> = {
  France: "Paris",
  Spain: "Madrid",
  Italy: "Rome",
  Germany: "Berlin",
  Japan: "Tokyo",
  Peru: "Lima",
  Chile: "Santiago",
  Egypt: "Cairo",
  Kenya: "Nairobi",
  Norway: "Oslo",
};
const SPLIT = { heldOutFraction: 0.3, seed: "routegate", trainFraction: 0.4 };
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeProvider({
    text: (lastUser) => CAPITALS[/capital of (\w+)/.exec(lastUser)?.[1] ?? ""] ?? "unknown",
    usage: (lastUser, text) => ({
      prompt: 20 + Math.ceil(lastUser.length / 4),
      cached: 0,
      output: Math.ceil(text.length / 4),
    }),
  });
});
afterAll(async () => {
  await fake.close();
});

function project(): string {
  const dir = tempDir("rg-ft-e2e-");
  const countries = Object.keys(CAPITALS);
  const lines = Array.from({ length: 60 }, (_, i) => {
    const c = countries[i % countries.length]!;
    return JSON.stringify({ id: `q${i}`, input: `What is the capital of ${c}? (item ${i})`, expected: CAPITALS[c] });
  });
  writeFileSync(join(dir, "caps.jsonl"), `${lines.join("\n")}\n`);
  writeFileSync(join(dir, "finetuned.json"), "[]\n");
  writeFileSync(
    join(dir, "caps.eval.ts"),
    `import finetuned from "./finetuned.json" with { type: "json" };
export default {
  name: "caps",
  dataset: "caps.jsonl",
  models: ["sim:cheap", "sim:flagship", ...finetuned],
  scorer: "exact",
  routers: [],
  split: ${JSON.stringify(SPLIT)},
};
`,
  );
  return dir;
}

describe("golden set to a gated fine-tuned candidate", () => {
  it("distills the train split, submits with --max-cost and --yes, registers the model and gates it on held-out items", async () => {
    const dir = project();
    const env = { OPENAI_API_KEY: "sk-test-e2e-finetune-000", OPENAI_BASE_URL: fake.openaiBaseUrl };
    const rg = (args: string[]) => runCli(args, dir, env);

    const first = await rg(["eval", "caps.eval.ts", "--quiet"]);
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);

    const distilled = await rg([
      "distill",
      "--eval",
      "caps.eval.ts",
      "--teacher",
      "sim:flagship",
      "--base",
      "gpt-4.1-mini-2025-04-14",
      "--out",
      "train.jsonl",
    ]);
    expect(distilled.stderr).toBe("");
    expect(distilled.code).toBe(0);
    const train = readFileSync(join(dir, "train.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // Every example is a training item: none of the calibration or held-out items the gate uses.
    for (const ex of train) {
      const n = /\(item (\d+)\)/.exec(ex.messages[0].content)![1];
      expect(splitPart({ id: `q${n}` }, SPLIT)).toBe("train");
    }
    const trainItems = Array.from({ length: 60 }, (_, i) => `q${i}`).filter(
      (id) => splitPart({ id }, SPLIT) === "train",
    );
    expect(train.length).toBeGreaterThanOrEqual(10);
    expect(train.length).toBeLessThanOrEqual(trainItems.length);
    expect(distilled.stdout).toMatch(
      new RegExp(`split: ${trainItems.length} train / \\d+ calibration / \\d+ held-out`),
    );
    expect(distilled.stdout).toMatch(
      /estimated training cost: [\d,]+ tokens x 3 epochs = [\d,]+ trained tokens x \$5\/1M/,
    );

    // Without --yes: the estimate, exit 2, nothing uploaded.
    const refused = await rg([
      "finetune",
      "submit",
      "--file",
      "train.jsonl",
      "--base",
      "gpt-4.1-mini-2025-04-14",
      "--eval",
      "caps",
      "--max-cost",
      "5",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^estimated training cost:/);
    expect(refused.stderr).toMatch(/--yes.*nothing was uploaded/);
    expect(fake.requests.filter((r) => r.path.startsWith("/v1/files"))).toHaveLength(0);

    fake.fineTuning.pollsBeforeDone = 2;
    const submitted = await rg([
      "finetune",
      "submit",
      "--file",
      "train.jsonl",
      "--base",
      "gpt-4.1-mini-2025-04-14",
      "--eval",
      "caps",
      "--max-cost",
      "5",
      "--yes",
      "--poll-ms",
      "10",
    ]);
    expect(submitted.code).toBe(0);
    expect(submitted.stderr).toMatch(/job ftjob-\w+ succeeded: ft:gpt-4\.1-mini-2025-04-14:fake-org::/);
    const [candidate] = JSON.parse(readFileSync(join(dir, "finetuned.json"), "utf8"));
    const job = fake.fineTuning.jobs[0]!;
    expect(candidate.model).toBe(`ft:gpt-4.1-mini-2025-04-14:fake-org::${job.id.slice(-8)}`);
    expect(candidate.fineTune.trainingCostUsd).toBeGreaterThan(0);

    const status = await rg(["finetune", "status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${job.id}  succeeded  caps`);

    // The candidate in the eval: collected through the SDK, scored and gated like any model.
    const second = await rg(["eval", "caps.eval.ts", "--quiet", "--json"]);
    // --quiet hides progress, never the result table.
    expect(second.stderr).not.toMatch(/collected|error/i);
    expect(second.stderr).toContain("verdict: NO GATES");
    expect(second.code).toBe(0);
    const summary = onlyRun(second.stdout);
    const ft = summary.models.find((m) => m.id === candidate.id)!;
    expect(ft.fineTune).toEqual({
      baseModel: "gpt-4.1-mini-2025-04-14",
      trainingCostUsd: candidate.fineTune.trainingCostUsd,
    });
    expect(ft.quality).toBe(1);
    expect(summary.split.train).toBe(trainItems.length);
    expect(summary.split.calibration + summary.split.heldOut + summary.split.train!).toBe(60);
    const asked = fake.requests.filter((r) => r.path === "/v1/chat/completions" && r.model === candidate.model);
    expect(asked.length).toBe(60);
    const report = readFileSync(join(dir, "reports", "caps", "latest", "report.md"), "utf8");
    expect(report).toContain(`items are kept for fine-tuning and are in no figure`);
    expect(report).toMatch(/fine-tuned from gpt-4\.1-mini-2025-04-14, training \\?\$[\d.]+ once/);

    // The planner's break-even uses the training cost the job reported.
    writeFileSync(
      join(dir, "traffic.json"),
      JSON.stringify({
        features: [{ name: "*", requestsPerMonth: 100_000 }],
        fineTune: { candidate: candidate.id, retrainEveryMonths: 6 },
      }),
    );
    const plan = await rg(["plan", "--eval", "caps", "--traffic", "traffic.json", "--json"]);
    expect(plan.code).toBe(0);
    const ftPlan = JSON.parse(plan.stdout).fineTune;
    expect(ftPlan.trainingCostUsd).toBe(candidate.fineTune.trainingCostUsd);
    expect(ftPlan.trainingCostSource).toBe("job");
    expect(ftPlan.trainingMonthlyUsd).toBeCloseTo(candidate.fineTune.trainingCostUsd / 6, 12);
  }, 600_000);
});
