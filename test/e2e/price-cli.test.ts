import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// Issue 14, item 6: pricing replayed models from the command line (--price), and "(est.)" only
// beside a cost that was estimated.

const ITEMS = Array.from({ length: 8 }, (_, i) => ({ id: `t${i}`, input: `ticket ${i}`, expected: "ok" }));

function write(dir: string, lines: object[]): void {
  writeFileSync(join(dir, "items.jsonl"), `${ITEMS.map((x) => JSON.stringify(x)).join("\n")}\n`);
  writeFileSync(join(dir, "outcomes.jsonl"), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
}

const run = (dir: string, models: string[], extra: string[] = []) =>
  runCli(
    [
      "eval",
      "--dataset",
      "items.jsonl",
      "--models",
      models.map((m) => `replay:${m}@outcomes.jsonl`).join(","),
      "--scorer",
      "exact",
      "--routers",
      "none",
      "--offline",
      "--json",
      "--store",
      "s.sqlite",
      "--reports",
      "r",
      ...extra,
    ],
    dir,
  );

/** report.md's row of a model in the models table. */
const modelRow = (dir: string, evalName: string, model: string) =>
  readFileSync(join(dir, "r", evalName, "latest", "report.md"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`| replay:${model}<br>`))!;

describe('"(est.)" beside a cost', () => {
  it("appears for tokens counted by routegate, never for a recorded costUsd", async () => {
    const dir = tempDir();
    // gpt-4o: a recorded bill and no tokens; gpt-4o-mini: neither, so its tokens are counted and priced.
    write(dir, [
      ...ITEMS.map((x) => ({ itemId: x.id, model: "gpt-4o", output: "ok", costUsd: 0.002 })),
      ...ITEMS.map((x) => ({ itemId: x.id, model: "gpt-4o-mini", output: "ok" })),
    ]);
    const r = await run(dir, ["gpt-4o", "gpt-4o-mini"]);
    expect(r.stderr).not.toMatch(/bad input|internal error/);
    expect(r.code).toBe(0);
    const s = onlyRun(r.stdout);
    const models = Object.fromEntries(s.models.map((m) => [m.id, m]));
    expect(models["replay:gpt-4o"]).toMatchObject({ usageEstimated: true, costEstimated: false });
    expect(models["replay:gpt-4o"]!.costPer1k).toBeCloseTo(2, 10);
    expect(models["replay:gpt-4o-mini"]).toMatchObject({ usageEstimated: true, costEstimated: true });
    expect(modelRow(dir, s.eval, "gpt-4o")).not.toContain("(est.)");
    expect(modelRow(dir, s.eval, "gpt-4o-mini")).toContain("(est.)");
  });
});

describe("--price MODEL=input,output[,cachedInput]", () => {
  const houseModel = (dir: string) =>
    write(
      dir,
      ITEMS.map((x) => ({
        itemId: x.id,
        model: "house-model",
        output: "ok",
        usage: { inputTokens: 1000, outputTokens: 100 },
      })),
    );

  it("prices a model the table lacks, records it in priceTable.overrides, and shows where the price came from", async () => {
    const dir = tempDir();
    houseModel(dir);
    const unpriced = await run(dir, ["house-model"]);
    expect(unpriced.code).toBe(2);
    expect(unpriced.stderr).toMatch(/house-model/);

    const priced = await run(dir, ["house-model"], ["--price", "house-model=2,10,0.5"]);
    expect(priced.stderr).not.toMatch(/bad input|internal error/);
    expect(priced.code).toBe(0);
    const s = onlyRun(priced.stdout);
    // 1000 input tokens at $2/1M plus 100 output tokens at $10/1M: $0.003 a request, $3 per 1K.
    expect(s.models[0]!.costPer1k).toBeCloseTo(3, 10);
    expect(s.models[0]!.costEstimated).toBe(false);
    expect(s.models[0]!.pricing?.source).toBe("cli-override");
    expect(s.priceTable.overrides).toEqual([
      { model: "house-model", input: 2, output: 10, cachedInput: 0.5, source: "cli-override" },
    ]);
    expect(s.priceTable.version).toMatch(/\+cli-override$/);
    expect(modelRow(dir, s.eval, "house-model")).toContain("cli-override");
  });

  it("compare flags two runs whose overrides differ, and not two whose overrides agree", async () => {
    const dir = tempDir();
    houseModel(dir);
    const ids: string[] = [];
    let name = "";
    for (const price of ["house-model=2,10", "house-model=2,10", "house-model=4,10"]) {
      const r = await run(dir, ["house-model"], ["--price", price]);
      expect(r.code).toBe(0);
      const s = onlyRun(r.stdout);
      ids.push(s.runId);
      name = s.eval;
    }
    const compare = (a: string, b: string) =>
      runCli(["compare", `${name}@${a}`, `${name}@${b}`, "--reports", "r"], dir);
    const same = await compare(ids[0]!, ids[1]!);
    expect(same.code).toBe(0);
    expect(same.stdout).not.toContain("--price");
    const differ = await compare(ids[1]!, ids[2]!);
    expect(differ.code).toBe(0);
    expect(differ.stdout).toContain(
      "Different --price overrides (A house-model=2,10, B house-model=4,10): cost deltas include price changes.",
    );
  });

  it.each([
    ["house-model=abc,1", /--price.*"house-model=abc,1": expected two or three prices/],
    ["house-model=1", /expected two or three prices/],
    ["house-model=1,2,3,4", /expected two or three prices/],
    ["house-model=-1,2", /expected two or three prices/],
    ["=1,2", /--price.*names no model/],
    ["house-model", /--price.*names no model/],
  ])("refuses --price %s with exit 2, naming the flag and the fix", async (value, message) => {
    const dir = tempDir();
    houseModel(dir);
    const r = await run(dir, ["house-model"], ["--price", value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("--price MODEL=INPUT,OUTPUT[,CACHED_INPUT]");
  });
});
