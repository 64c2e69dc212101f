import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/datasets/load-dataset.ts";
import { inputText } from "../../src/routing/index.ts";
import { routingConfig } from "../serve/harness.ts";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// `routegate drift` against the triage eval's golden set: traffic like the golden set exits 0,
// traffic whose tickets grew three times longer exits 1 naming what moved, bad input exits 2.

const dir = tempDir("rg-drift-");
const golden = loadDataset(join(ROOT, "datasets/triage/items.jsonl")).items;
const THRESHOLD = 600;
const config = routingConfig(
  [
    { id: "sim:cheap", provider: "sim", model: "cheap" },
    { id: "sim:flagship", provider: "sim", model: "flagship" },
  ],
  { id: "length", params: { weak: "sim:cheap", strong: "sim:flagship", threshold: THRESHOLD } },
);
const configFile = join(dir, "routing.config.json");
writeFileSync(configFile, JSON.stringify(config));

function logOf(stretch: number): string {
  const file = join(dir, `decisions-${stretch}.jsonl`);
  const lines = golden.map((item, i) => {
    const chars = Math.round(inputText(item).length * stretch);
    return {
      decisionId: `d${i}`,
      route: "triage",
      status: 200,
      inputChars: chars,
      rank: chars,
      chosen: chars >= THRESHOLD ? "sim:flagship" : "sim:cheap",
    };
  });
  writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
  return file;
}

describe("routegate drift", () => {
  it("exits 0 when traffic looks like the golden set and 1 when it moved, saying what moved", async () => {
    const same = await runCli(["drift", "--log", logOf(1), "--eval", "triage", "--config", configFile], ROOT);
    expect(same.stderr).toBe("");
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/\| input length \| 0\.000 \| 0\.000 \|/);
    expect(same.stdout).toContain("No view moved");

    const moved = await runCli(["drift", "--log", logOf(3), "--eval", "triage", "--config", configFile], ROOT);
    expect(moved.code).toBe(1);
    expect(moved.stdout).toMatch(/\| input length \|[^\n]*\*\*moved\*\*/);
    expect(moved.stdout).toMatch(/\| decision share \|[^\n]*\*\*moved\*\*/);
    expect(moved.stdout).toMatch(
      /no longer represents triage traffic: input length, router score, decision share moved/,
    );
  });

  it("exits 2 on a log that is not a decision log", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"hello": 1}\n');
    const r = await runCli(["drift", "--log", bad, "--eval", "triage"], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl \(line 1/);
  });
});
