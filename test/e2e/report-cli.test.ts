import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Summary } from "../../src/contracts/summary.ts";
import { adhocArgs, writeMixedDataset } from "../report/mixed-dataset.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

describe("reports of a run: report.html, per-feature figures, the GitHub job summary", () => {
  it("writes report.html beside report.md (and into latest/), and appends each report to $GITHUB_STEP_SUMMARY", async () => {
    const dir = tempDir();
    const dataset = writeMixedDataset(dir);
    const stepSummary = join(dir, "step-summary.md");
    writeFileSync(stepSummary, "# earlier step\n");
    const first = await runCli(adhocArgs(dir, dataset), dir, { GITHUB_STEP_SUMMARY: stepSummary });
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    const second = await runCli(adhocArgs(dir, dataset), dir, { GITHUB_STEP_SUMMARY: stepSummary });
    expect(second.code).toBe(0);

    const latest = join(dir, "reports", "mixed", "latest");
    const runs = readdirSync(join(dir, "reports", "mixed")).filter((d) => d !== "latest");
    expect(runs).toHaveLength(2);
    for (const d of [latest, ...runs.map((r) => join(dir, "reports", "mixed", r))]) {
      expect(existsSync(join(d, "report.html"))).toBe(true);
    }
    const md = readFileSync(join(latest, "report.md"), "utf8");
    const appended = readFileSync(stepSummary, "utf8");
    expect(appended.startsWith("# earlier step\n")).toBe(true);
    expect(appended.split("> **SIMULATED**")).toHaveLength(3); // two runs appended, the earlier step kept
    expect(appended.trimEnd().endsWith(md.trimEnd())).toBe(true);

    const summary = Summary.parse(JSON.parse(readFileSync(join(latest, "summary.json"), "utf8")));
    const heldOut = summary.split.heldOut;
    for (const r of summary.routers) {
      expect(r.features?.map((f) => f.feature)).toEqual(["billing <b>&</b>", "tech"]);
      expect(r.features?.reduce((a, f) => a + f.items, 0)).toBe(heldOut);
      // The overall mean is the item-weighted mean of the features' means.
      const weighted = r.features!.reduce((a, f) => a + f.items * f.quality.mean, 0) / heldOut;
      expect(weighted).toBeCloseTo(r.quality.mean, 12);
    }
    expect(md).toContain("## Per feature (held-out)");
    const html = readFileSync(join(latest, "report.html"), "utf8");
    expect(html).toContain("billing &lt;b&gt;&amp;&lt;/b&gt;");
    expect(html).not.toContain("<b>&</b>");
  });

  it("does not touch the job summary when GITHUB_STEP_SUMMARY is unset", async () => {
    const dir = tempDir();
    const run = await runCli(adhocArgs(dir, writeMixedDataset(dir, 12)), dir, { GITHUB_STEP_SUMMARY: "" });
    expect(run.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".md"))).toEqual([]);
  });
});

describe("routegate compare", () => {
  it("diffs two runs by folder, summary.json or EVAL@latest, and refuses different datasets without --force", async () => {
    const dir = tempDir();
    const reports = join(dir, "reports");
    const dataset = writeMixedDataset(dir);
    expect((await runCli(adhocArgs(dir, dataset, ["--routers", "random"]), dir)).code).toBe(0);
    const firstRun = readdirSync(join(reports, "mixed")).find((d) => d !== "latest")!;
    expect((await runCli(adhocArgs(dir, dataset, ["--routers", "length"]), dir)).code).toBe(0);

    const byFolder = await runCli(
      ["compare", join(reports, "mixed", firstRun), "mixed@latest", "--reports", reports],
      dir,
    );
    expect(byFolder.stderr).toBe("");
    expect(byFolder.code).toBe(0);
    expect(byFolder.stdout.split("\n")[0]).toMatch(/SIMULATED/);
    expect(byFolder.stdout).toContain("# routegate compare: mixed");
    expect(byFolder.stdout).toMatch(/\| length \(added\) \|/);
    expect(byFolder.stdout).toMatch(/\| random \(removed\) \|/);
    expect(byFolder.stdout).toMatch(/\| always:sim:cheap \| [\d.]+ → [\d.]+ \| ±0\.000 \|/);

    const byFile = await runCli(
      [
        "compare",
        join(reports, "mixed", firstRun, "summary.json"),
        `mixed@${firstRun}`,
        "--reports",
        reports,
        "--json",
      ],
      dir,
    );
    expect(byFile.code).toBe(0);
    const json = JSON.parse(byFile.stdout);
    expect(json.policiesAdded).toEqual([]);
    expect(json.datasetMismatch).toBeNull();

    const other = writeMixedDataset(dir, 45, "other");
    expect((await runCli(adhocArgs(dir, other), dir)).code).toBe(0);
    const refused = await runCli(["compare", "mixed@latest", "other@latest", "--reports", reports], dir);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/refusing to compare: the runs scored different golden sets/);
    expect(refused.stderr).toMatch(/--force/);
    const forced = await runCli(["compare", "mixed@latest", "other@latest", "--reports", reports, "--force"], dir);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("**Compared with --force**");

    const missing = await runCli(["compare", "mixed@nope", "mixed@latest", "--reports", reports], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no summary\.json for run "mixed@nope"/);
  });
});
