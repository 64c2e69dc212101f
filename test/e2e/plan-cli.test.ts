import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { summaryFixture } from "../report/summary-fixture.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// `routegate plan` on a summary.json written here (sim models, priced by the shipped price table).
function setup(traffic: unknown): { dir: string; args: string[] } {
  const dir = tempDir();
  const latest = join(dir, "reports", "support", "latest");
  mkdirSync(latest, { recursive: true });
  const summary = summaryFixture();
  const shares: Record<string, Record<string, number>> = {
    "always:sim:cheap": { "sim:cheap": 1 },
    "always:sim:flagship": { "sim:flagship": 1 },
    heuristic: { "sim:cheap": 0.6, "sim:flagship": 0.4 },
    random: { "sim:cheap": 0.5, "sim:flagship": 0.5 },
  };
  for (const r of summary.routers) r.modelShare = shares[r.id] ?? {};
  writeFileSync(join(latest, "summary.json"), JSON.stringify(summary));
  writeFileSync(join(dir, "traffic.json"), JSON.stringify(traffic));
  return { dir, args: ["plan", "--eval", "support", "--traffic", "traffic.json", "--reports", "reports"] };
}

const traffic = {
  features: [
    { name: "billing", requestsPerMonth: 50_000, batchableShare: 0.2 },
    { name: "tech", requestsPerMonth: 100_000, arrival: { peakPerHour: 400, offPeakPerHour: 20, peakHoursPerDay: 8 } },
  ],
  selfHosting: { replaces: "sim:cheap", gpuHourUsd: 2.5, gpus: 1, outputTokensPerSec: 3000, utilisation: 0.6 },
  fineTune: { candidate: "sim:cheap", trainingCostUsd: 100 },
};

describe("routegate plan", () => {
  it("prints the Markdown plan: every policy, every lever, percentiles, sensitivity and fine-tune break-even", async () => {
    const { dir, args } = setup(traffic);
    const run = await runCli(args, dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# Cost plan: support/);
    expect(run.stdout).toContain("150,000 requests/month");
    expect(run.stdout).toContain("Reference: <code>always:sim:flagship</code>");
    expect(run.stdout).not.toMatch(/baseline/i);
    for (const id of ["always:sim:cheap", "always:sim:flagship", "heuristic", "random"])
      expect(run.stdout).toContain(`| ${id} |`);
    expect(run.stdout).toContain(
      "| policy | quality | list (no levers) | prompt caching | batch share | caching + batch | self-hosting | all levers |",
    );
    expect(run.stdout).toContain("n too small");
    expect(run.stdout).toMatch(/## Self-hosting sim:cheap/);
    expect(run.stdout).toMatch(/\| 1000x \(150,000,000;/);
    expect(run.stdout).toMatch(/## Fine-tuned candidate sim:cheap/);
  });

  it("--json prints the plan object", async () => {
    const { dir, args } = setup(traffic);
    const run = await runCli([...args, "--json"], dir);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.requestsPerMonth).toBe(150_000);
    expect(plan.baseline.id).toBe("always:sim:flagship");
    // `reference` is the new name; `baseline` and `savingVsBaseline` stay for existing readers.
    expect(plan.reference).toEqual(plan.baseline);
    expect(plan.policies).toHaveLength(4);
    const flagship = plan.policies.find((p: { id: string }) => p.id === "always:sim:flagship");
    expect(flagship.projections[0]).toMatchObject({ lever: "list", savingVsBaseline: 0, savingVsReference: 0 });
    expect(flagship.projections[0].monthlyUsd).toBeGreaterThan(0);
    // Caching and batch can only lower the bill.
    const cb = flagship.projections.find((p: { lever: string }) => p.lever === "caching+batch");
    expect(cb.monthlyUsd).toBeLessThan(flagship.projections[0].monthlyUsd);
    expect(flagship.projections.map((p: { lever: string }) => p.lever)).toEqual([
      "list",
      "caching",
      "batch",
      "caching+batch",
      "self-hosting",
      "all",
    ]);
  });

  it("exits 2 naming the file and field of a bad profile, and a missing run", async () => {
    const { dir, args } = setup({ features: [{ name: "x", requestsPerMonth: "lots" }] });
    const bad = await runCli(args, dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/traffic\.json \(field features\[0\]\.requestsPerMonth\)/);
    const missing = await runCli(["plan", "--eval", "nope", "--traffic", "traffic.json", "--reports", "reports"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no summary\.json/);
  });

  it("adds the plan to report.md and report.html when the eval names a traffic profile", async () => {
    const dir = tempDir();
    const items = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({
        id: `q${i}`,
        input: `Capital of country ${i}?`,
        expected: `City${i}`,
        metadata: { feature: "caps" },
      }),
    );
    writeFileSync(join(dir, "caps.jsonl"), `${items.join("\n")}\n`);
    writeFileSync(
      join(dir, "traffic.json"),
      JSON.stringify({ features: [{ name: "caps", requestsPerMonth: 10_000 }] }),
    );
    writeFileSync(
      join(dir, "caps.eval.ts"),
      `export default { name: "caps", dataset: "caps.jsonl", models: ["sim:cheap", "sim:flagship"], weak: "sim:cheap", strong: "sim:flagship", scorer: "exact", traffic: "traffic.json" };\n`,
    );
    const run = await runCli(["eval", "caps.eval.ts", "--store", "s.sqlite", "--reports", "r", "--quiet"], dir);
    expect(run.stderr).not.toMatch(/internal error|bad input/);
    const latest = join(dir, "r", "caps", "latest");
    const md = readFileSync(join(latest, "report.md"), "utf8");
    expect(md).toContain("## Cost plan: caps");
    expect(md).toContain("10,000 requests/month");
    const html = readFileSync(join(latest, "report.html"), "utf8");
    expect(html).toMatch(/<section id="cost-plan">[\s\S]*<\/section>\n<\/main>/);
  });

  it("puts the plan in the CI job summary too ($GITHUB_STEP_SUMMARY), rendered with the report, not spliced in", async () => {
    const dir = tempDir();
    const items = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({
        id: `q${i}`,
        input: `Capital of country ${i}?`,
        expected: `City${i}`,
        metadata: { feature: "caps" },
      }),
    );
    writeFileSync(join(dir, "caps.jsonl"), `${items.join("\n")}\n`);
    writeFileSync(
      join(dir, "traffic.json"),
      JSON.stringify({ features: [{ name: "caps", requestsPerMonth: 10_000 }] }),
    );
    writeFileSync(
      join(dir, "caps.eval.ts"),
      `export default { name: "caps", dataset: "caps.jsonl", models: ["sim:cheap", "sim:flagship"], weak: "sim:cheap", strong: "sim:flagship", scorer: "exact", traffic: "traffic.json" };\n`,
    );
    const jobSummary = join(dir, "job-summary.md");
    const run = await runCli(["eval", "caps.eval.ts", "--store", "s.sqlite", "--reports", "r", "--quiet"], dir, {
      GITHUB_STEP_SUMMARY: jobSummary,
    });
    expect(run.stderr).not.toMatch(/internal error|bad input/);
    const text = readFileSync(jobSummary, "utf8");
    expect(text).toMatch(/^# routegate: caps$/m);
    expect(text).toContain("## Cost plan: caps");
    expect(text).toContain("10,000 requests/month");
    // The job summary is report.md as written, plan included.
    const md = readFileSync(join(dir, "r", "caps", "latest", "report.md"), "utf8");
    expect(text.trimEnd()).toBe(md.trimEnd());
  });
});
