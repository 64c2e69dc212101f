import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVAL_OUTPUT_VERSION, EvalOutput } from "../../src/contracts/eval-output.ts";
import { SUMMARY_SCHEMA_VERSION } from "../../src/contracts/summary.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// Issue 14, item 6: what `routegate eval` tells its user once a run ends (the verdict, the result
// table, the report paths, --json), whatever --quiet says.

/** A project with two evals on one sim dataset: `plain` declares no gate, `gated` declares one it passes. */
function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "evals"));
  const items = Array.from({ length: 24 }, (_, i) => ({ id: `q${i}`, input: `question ${i}`, expected: `a${i}` }));
  writeFileSync(join(dir, "items.jsonl"), `${items.map((x) => JSON.stringify(x)).join("\n")}\n`);
  const evalFile = (name: string, gates: string) =>
    writeFileSync(
      join(dir, "evals", `${name}.eval.ts`),
      `export default {
  name: "${name}",
  dataset: "../items.jsonl",
  models: ["sim:cheap", "sim:flagship"],
  scorer: "exact",
  routers: [],
  gates: ${gates},
};
`,
    );
  evalFile("plain", "[]");
  evalFile("gated", '[{ policy: "always:sim:flagship", minQuality: 0.01 }]');
  return dir;
}

const flags = ["--store", "s.sqlite", "--reports", "r"];

describe("a run with no gates", () => {
  it("says NO GATES (exit 0) in the result table, report.md, report.html and summary.json, never PASSED", async () => {
    const dir = project();
    const run = await runCli(["eval", "plain", ...flags, "--json"], dir);
    expect(run.code).toBe(0);
    const [summary] = EvalOutput.parse(JSON.parse(run.stdout)).runs;
    expect(summary!.schemaVersion).toBe(SUMMARY_SCHEMA_VERSION);
    expect(summary!.gate).toMatchObject({ verdict: "no-gates", checks: [] });
    expect(run.stderr).toContain("verdict: NO GATES (the eval declares no gates: nothing was checked)");
    expect(run.stderr).not.toContain("PASSED");
    const latest = join(dir, "r", "plain", "latest");
    const md = readFileSync(join(latest, "report.md"), "utf8");
    expect(md).toContain("**Verdict: NO GATES** (no gates declared: nothing was checked)");
    expect(md).not.toContain("PASSED");
    const html = readFileSync(join(latest, "report.html"), "utf8");
    expect(html).toContain('<p class="verdict no-gates" id="verdict">Verdict: <strong>NO GATES</strong>');
    expect(html).toMatch(/<title>SIMULATED · routegate: plain · NO GATES<\/title>/);
    expect(html).not.toContain("PASSED");
  });

  it("a declared gate that passes still says PASSED", async () => {
    const dir = project();
    const run = await runCli(["eval", "gated", ...flags, "--json"], dir);
    expect(run.code).toBe(0);
    const [summary] = EvalOutput.parse(JSON.parse(run.stdout)).runs;
    expect(summary!.gate.verdict).toBe("passed");
    expect(run.stderr).toContain("verdict: PASSED");
    expect(readFileSync(join(dir, "r", "gated", "latest", "report.md"), "utf8")).toContain("**Verdict: PASSED**");
  });
});

describe("--json", () => {
  it("prints one versioned shape, { schemaVersion, runs }, for one eval and for several", async () => {
    const dir = project();
    const one = JSON.parse((await runCli(["eval", "plain", ...flags, "--json"], dir)).stdout);
    const both = JSON.parse((await runCli(["eval", ...flags, "--json"], dir)).stdout);
    for (const out of [one, both]) {
      expect(Object.keys(out)).toEqual(["schemaVersion", "runs"]);
      expect(out.schemaVersion).toBe(EVAL_OUTPUT_VERSION);
    }
    expect(EvalOutput.parse(one).runs.map((s) => s.eval)).toEqual(["plain"]);
    expect(EvalOutput.parse(both).runs.map((s) => s.eval)).toEqual(["gated", "plain"]);
  });
});

describe("--quiet and the paths printed", () => {
  it("--quiet drops the progress lines only: the result table, the verdict and both report paths stay", async () => {
    const dir = project();
    const loud = await runCli(["eval", "plain", ...flags], dir);
    const quiet = await runCli(["eval", "plain", ...flags, "--quiet"], dir);
    expect(loud.code).toBe(0);
    expect(quiet.code).toBe(0);
    // The progress line a CI log shows (its own line, so its absence is what --quiet changed).
    const progress = /plain: \d+\/\d+ collected/;
    expect(loud.stderr).toMatch(progress);
    expect(quiet.stderr).not.toMatch(progress);
    const runDir = join("r", "plain", JSON.parse(readFileSync(join(dir, "r/plain/latest/summary.json"), "utf8")).runId);
    for (const run of [loud, quiet]) {
      expect(run.stderr).toMatch(/^ {2}always:sim:flagship +quality 1\.000/m);
      expect(run.stderr).toContain("verdict: NO GATES");
    }
    expect(quiet.stderr).toContain(`report: ${runDir}/report.md, ${runDir}/report.html`);
  });
});
