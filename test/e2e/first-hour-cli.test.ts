import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// Issue 14: what a newcomer meets in the first hour, run as the README writes it.

const LABELS = ["billing", "refund", "outage"];

/** A labelled dataset and two replayed models' recorded answers (the strong one always right). */
function replayProject(dir: string) {
  const items = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, input: `ticket ${i}`, expected: LABELS[i % 3]! }));
  writeFileSync(join(dir, "items.jsonl"), `${items.map((x) => JSON.stringify(x)).join("\n")}\n`);
  const outcome = (model: string, id: string, output: string) =>
    JSON.stringify({ itemId: id, model, output, usage: { inputTokens: 40, outputTokens: 2 }, costUsd: 0.0001 });
  const lines = items.flatMap((x, i) => [
    outcome("gpt-4o", x.id, `Category: ${x.expected}`),
    outcome("gpt-4o-mini", x.id, i % 4 === 0 ? "not sure" : x.expected),
  ]);
  writeFileSync(join(dir, "outcomes.jsonl"), `${lines.join("\n")}\n`);
  return ["--dataset", "items.jsonl", "--models", "replay:gpt-4o@outcomes.jsonl,replay:gpt-4o-mini@outcomes.jsonl"];
}

describe("the README's replay example with --scorer label (item 1)", () => {
  it("runs, with the labels inferred from the dataset and said on stderr", async () => {
    const dir = tempDir();
    const run = await runCli(
      [
        "eval",
        ...replayProject(dir),
        "--scorer",
        "label",
        "--offline",
        "--json",
        "--store",
        "s.sqlite",
        "--reports",
        "r",
      ],
      dir,
    );
    expect(run.stderr).not.toMatch(/bad input|internal error/);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("3 labels inferred from the dataset's expected values (billing, refund, outage)");
    const summary = onlyRun(run.stdout);
    expect(summary.scorer).toBe("label(billing|refund|outage)");
    const quality = Object.fromEntries(summary.models.map((m) => [m.id, m.quality]));
    expect(quality).toEqual({ "replay:gpt-4o": 1, "replay:gpt-4o-mini": 0.75 });
  });

  it("takes --labels, and refuses an expected value outside them naming the dataset line", async () => {
    const dir = tempDir();
    const args = [
      "eval",
      ...replayProject(dir),
      "--scorer",
      "label",
      "--offline",
      "--store",
      "s.sqlite",
      "--reports",
      "r",
    ];
    const ok = await runCli([...args, "--labels", LABELS.join(",")], dir);
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toContain("inferred");
    const short = await runCli([...args, "--labels", "billing,refund"], dir);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(
      /items\.jsonl \(line 3 .*field expected\): expected "outage" is not one of the labels/,
    );
  });
});

describe("sim models on a user's own data (item 6)", () => {
  const SIM_WARNING = "sim has no notion of this task";
  const run = async (dataset: string, dir: string) => {
    const r = await runCli(
      [
        "eval",
        "--dataset",
        dataset,
        "--models",
        "sim:cheap,sim:flagship",
        "--scorer",
        "exact",
        "--json",
        "--store",
        join(dir, "s.sqlite"),
        "--reports",
        join(dir, "r"),
      ],
      dir,
    );
    expect(r.stderr).not.toMatch(/bad input|internal error/);
    return onlyRun(r.stdout);
  };

  it("warns that sim knows nothing of the task where no item sets a difficulty", async () => {
    const dir = tempDir();
    const items = Array.from({ length: 10 }, (_, i) => ({
      id: `u${i}`,
      input: `my own question ${i}`,
      expected: `a${i}`,
    }));
    writeFileSync(join(dir, "mine.jsonl"), `${items.map((x) => JSON.stringify(x)).join("\n")}\n`);
    expect((await run(join(dir, "mine.jsonl"), dir)).warnings.some((w) => w.startsWith(SIM_WARNING))).toBe(true);
  });

  it("and not on the examples' datasets, whose items carry their difficulty", async () => {
    const dir = tempDir();
    const summary = await run(join(ROOT, "datasets/triage/items.jsonl"), dir);
    expect(summary.simulated).toBe(true);
    expect(summary.warnings.some((w) => w.startsWith(SIM_WARNING))).toBe(false);
  });
});
