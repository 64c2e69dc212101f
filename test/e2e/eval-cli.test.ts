import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { routegate, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// A dataset routegate has never seen: written here, scored with `exact`.
function writeDataset(dir: string, n = 30, tweak?: (i: number) => string): string {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      input: tweak?.(i) ?? `What is the capital of country number ${i}? Answer with one word.`,
      expected: `City${i}`,
      metadata: { difficulty: ["easy", "medium", "hard"][i % 3] },
    }),
  );
  const file = join(dir, "capitals.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

// Ad-hoc runs evaluate every router family unless told otherwise; these tests count collection
// calls, so they name the routers they need (adhoc-families.test.ts covers the default).
const adhoc = (dir: string, dataset: string, models: string, extra: string[] = [], scorer = "exact") => [
  "eval",
  "--dataset",
  dataset,
  "--models",
  models,
  "--scorer",
  scorer,
  "--store",
  join(dir, "store.sqlite"),
  "--reports",
  join(dir, "reports"),
  "--json",
  ...extra,
];

describe("routegate eval (ad-hoc, sim models)", () => {
  it("runs on an unseen dataset, prints summary.json, and writes the reports with a SIMULATED banner", async () => {
    const dir = tempDir();
    const dataset = writeDataset(dir);
    const run = await runCli(
      adhoc(dir, dataset, "sim:cheap,sim:flagship", [
        "--weak",
        "sim:cheap",
        "--strong",
        "sim:flagship",
        "--routers",
        "random,length",
      ]),
      dir,
    );
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    const summary = onlyRun(run.stdout);
    expect(summary.simulated).toBe(true);
    expect(summary.dataset).toMatchObject({ name: "capitals", items: 30 });
    expect(summary.models.map((m) => m.id)).toEqual(["sim:cheap", "sim:flagship"]);
    expect(summary.routers.map((r) => r.id)).toEqual(["always:sim:cheap", "always:sim:flagship", "random", "length"]);
    expect(summary.collection.providerCalls).toBe(60);
    // The flagship profile must beat the cheap one on mixed-difficulty items.
    expect(summary.models[1]!.quality).toBeGreaterThan(summary.models[0]!.quality);
    const latest = join(dir, "reports", "capitals", "latest");
    expect(JSON.parse(readFileSync(join(latest, "summary.json"), "utf8")).runId).toBe(summary.runId);
    const md = readFileSync(join(latest, "report.md"), "utf8");
    expect(md.split("\n")[0]).toMatch(/SIMULATED/);
    expect(md).toContain("| length");
  });

  it("makes zero provider calls on a second identical run, and only the new calls when a model or prompt changes", async () => {
    const dir = tempDir();
    const dataset = writeDataset(dir);
    const first = onlyRun((await runCli(adhoc(dir, dataset, "sim:cheap,sim:mid", ["--routers", "none"]), dir)).stdout);
    expect(first.collection.providerCalls).toBe(60);

    const second = onlyRun((await runCli(adhoc(dir, dataset, "sim:cheap,sim:mid", ["--routers", "none"]), dir)).stdout);
    expect(second.collection.providerCalls).toBe(0);
    expect(second.collection.fromStore).toBe(60);
    expect(second.models.map((m) => m.quality)).toEqual(first.models.map((m) => m.quality));

    const withModel = onlyRun(
      (await runCli(adhoc(dir, dataset, "sim:cheap,sim:mid,sim:flagship", ["--routers", "none"]), dir)).stdout,
    );
    expect(withModel.collection.providerCalls).toBe(30);

    writeDataset(dir, 30, (i) =>
      i === 7 ? "A reworded question seven?" : `What is the capital of country number ${i}? Answer with one word.`,
    );
    const changed = onlyRun(
      (await runCli(adhoc(dir, dataset, "sim:cheap,sim:mid,sim:flagship", ["--routers", "none"]), dir)).stdout,
    );
    expect(changed.collection.providerCalls).toBe(3);
  });
});

describe("bad input exits 2 and names the file, the line or field, and the fix", () => {
  it("a malformed dataset line", async () => {
    const dir = tempDir();
    const dataset = join(dir, "bad.jsonl");
    writeFileSync(dataset, '{"id":"a","input":"x","expected":"y"}\n{"id":"b","input":"x"}\n{"input":"no id"}\n');
    const run = await runCli(adhoc(dir, dataset, "sim:cheap"), dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("bad.jsonl");
    expect(run.stderr).toMatch(/line 3, field id/);
    expect(run.stderr).toMatch(/Fix:/);
  });

  // Through the real binary: the exit code a shell sees, not only what main() returns.
  it("a flag that fails validation (the real process)", () => {
    const dir = tempDir();
    const run = routegate(["eval", "--concurrency", "0"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/command line: --concurrency must be a positive integer/);
    expect(run.stderr).not.toMatch(/internal error/);
  });

  it("a line that is not JSON", async () => {
    const dir = tempDir();
    const dataset = join(dir, "bad.jsonl");
    writeFileSync(dataset, '{"id":"a","input":"x"}\n{"id":"b", input}\n');
    const run = await runCli(adhoc(dir, dataset, "sim:cheap"), dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.jsonl \(line 2\): not valid JSON/);
  });

  it("an unknown scorer and a malformed model spec", async () => {
    const dir = tempDir();
    const dataset = writeDataset(dir, 3);
    const scorer = await runCli(adhoc(dir, dataset, "sim:cheap", [], "fuzzy"), dir);
    expect(scorer.code).toBe(2);
    expect(scorer.stderr).toMatch(/command line \(scorer\): unknown scorer "fuzzy"/);
    const model = await runCli(adhoc(dir, dataset, "gpt4"), dir);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/models\[0\]/);
    expect(model.stderr).toMatch(/PROVIDER:MODEL/);
  });

  it("an eval file with an invalid field", async () => {
    const dir = tempDir();
    writeDataset(dir, 3);
    const file = join(dir, "broken.eval.ts");
    writeFileSync(file, `export default { name: "broken", dataset: "capitals.jsonl", models: [], scorer: "exact" };\n`);
    const run = await runCli(["eval", file, "--store", join(dir, "s.sqlite"), "--reports", join(dir, "r")], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken\.eval\.ts \(field models\): .*at least one candidate model/);
  });
});

describe("offline replay", () => {
  it("exits 3 and lists every missing outcome", async () => {
    const dir = tempDir();
    const dataset = writeDataset(dir, 4);
    const outcomes = join(dir, "outcomes.jsonl");
    writeFileSync(
      outcomes,
      ["q0", "q1"]
        .map((id) => JSON.stringify({ itemId: id, model: "m", output: `City${id.slice(1)}`, costUsd: 0.001 }))
        .join("\n"),
    );
    const run = await runCli(adhoc(dir, dataset, `replay:m@${outcomes}`), dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/2 outcome\(s\) are missing/);
    expect(run.stderr).toContain("replay:m q2");
    expect(run.stderr).toContain("replay:m q3");
  });

  it("replays a complete file with recorded costs", async () => {
    const dir = tempDir();
    const dataset = writeDataset(dir, 4);
    const outcomes = join(dir, "outcomes.jsonl");
    writeFileSync(
      outcomes,
      ["q0", "q1", "q2", "q3"]
        .map((id, i) =>
          JSON.stringify({ itemId: id, model: "m", output: i < 3 ? `City${id.slice(1)}` : "Paris", costUsd: 0.002 }),
        )
        .join("\n"),
    );
    const run = await runCli(adhoc(dir, dataset, `replay:m@${outcomes}`), dir);
    expect(run.code).toBe(0);
    const summary = onlyRun(run.stdout);
    expect(summary.simulated).toBe(false);
    expect(summary.models[0]!.quality).toBe(0.75);
    expect(summary.models[0]!.costPer1k).toBeCloseTo(2, 10);
  });
});

describe("gates and export", () => {
  const evalFile = (dir: string, minQuality: number) => {
    writeDataset(dir, 40);
    const file = join(dir, "caps.eval.ts");
    writeFileSync(
      file,
      `export default {
  name: "caps",
  dataset: "capitals.jsonl",
  models: ["sim:cheap", "sim:flagship"],
  weak: "sim:cheap",
  strong: "sim:flagship",
  scorer: "exact",
  routers: [],
  gates: [{ policy: "always:sim:cheap", minQuality: ${minQuality} }],
};
`,
    );
    return file;
  };

  it("exits 1 when a gate fails and 0 when it passes", async () => {
    const dir = tempDir();
    const file = evalFile(dir, 0.999);
    const args = ["eval", file, "--store", join(dir, "s.sqlite"), "--reports", join(dir, "r")];
    const blocked = await runCli(args, dir);
    expect(blocked.code).toBe(1);
    expect(readFileSync(join(dir, "r", "caps", "latest", "report.md"), "utf8")).toMatch(/Verdict: BLOCKED/);
    evalFile(dir, 0.05);
    const passed = await runCli(args, dir);
    expect(passed.code).toBe(0);
    expect(readFileSync(join(dir, "r", "caps", "latest", "report.md"), "utf8")).toMatch(/Verdict: PASSED/);
  });

  it("exports a validated routing config without secrets", async () => {
    const { RoutingConfig } = await import("../../src/contracts/routing-config.ts");
    const dir = tempDir();
    const file = evalFile(dir, 0.05);
    const secret = "sk-planted-secret-0123456789";
    const env = { OPENAI_API_KEY: secret, ANTHROPIC_API_KEY: secret };
    expect(
      (await runCli(["eval", file, "--store", join(dir, "s.sqlite"), "--reports", join(dir, "r")], dir, env)).code,
    ).toBe(0);
    const out = join(dir, "routing.config.json");
    const run = await runCli(
      ["export", "--eval", file, "--router", "always:sim:cheap", "--reports", join(dir, "r"), "--out", out],
      dir,
      env,
    );
    expect(run.code).toBe(0);
    const config = RoutingConfig.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(config.router).toEqual({ id: "always:sim:cheap", params: { model: "sim:cheap" } });
    expect(config.provenance.simulated).toBe(true);
    expect(config.models.map((m) => m.id)).toEqual(["sim:cheap", "sim:flagship"]);
    for (const written of [
      out,
      join(dir, "r", "caps", "latest", "summary.json"),
      join(dir, "r", "caps", "latest", "report.md"),
      join(dir, "r", "caps", "latest", "report.html"),
      join(dir, "s.sqlite"),
    ]) {
      expect(existsSync(written)).toBe(true);
      expect(readFileSync(written).includes(secret)).toBe(false);
    }
    const missing = await runCli(
      ["export", "--eval", file, "--router", "nope", "--reports", join(dir, "r"), "--out", out],
      dir,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no router "nope"/);
  });
});
