import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeReport } from "../../src/reporters/write-report.ts";
import { summaryFixture } from "./summary-fixture.ts";

describe("writeReport", () => {
  it("writes summary.json, report.md and report.html to the run folder and to latest/", () => {
    const reports = mkdtempSync(join(tmpdir(), "rg-write-"));
    const { dir } = writeReport(reports, summaryFixture(), { env: {} });
    for (const d of [dir, join(reports, "support", "latest")]) {
      for (const f of ["summary.json", "report.md", "report.html"]) expect(existsSync(join(d, f))).toBe(true);
    }
    expect(readFileSync(join(dir, "report.html"), "utf8")).toMatch(/^<!doctype html>/);
  });

  it("appends the Markdown to $GITHUB_STEP_SUMMARY, run after run, and only when it is set", () => {
    const tmp = mkdtempSync(join(tmpdir(), "rg-step-"));
    const file = join(tmp, "summary.md");
    const first = writeReport(join(tmp, "reports"), summaryFixture(), { env: { GITHUB_STEP_SUMMARY: file } });
    writeReport(join(tmp, "reports"), summaryFixture({ runId: "run-2" }), { env: { GITHUB_STEP_SUMMARY: file } });
    const text = readFileSync(file, "utf8");
    expect(text.startsWith(first.markdown.trimEnd())).toBe(true);
    expect(text.match(/^# routegate: support$/gm)).toHaveLength(2);
    expect(text).toContain("Run <code>run-2</code>");

    // Unset or empty (how vitest.config.ts shields the tests' own runs): nothing is appended.
    writeReport(join(tmp, "reports"), summaryFixture(), { env: { GITHUB_STEP_SUMMARY: "" } });
    writeReport(join(tmp, "reports"), summaryFixture(), { env: {} });
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
