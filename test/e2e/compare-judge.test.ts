import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

describe("routegate compare and judges", () => {
  it("refuses to compare runs judged with different prompts, even with --force", async () => {
    const dir = tempDir();
    const run = await runCli(
      ["eval", "support-answers", "--store", join(dir, "s.sqlite"), "--reports", join(dir, "r"), "--quiet"],
      ROOT,
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "r", "support-answers", "latest", "summary.json"), "utf8"));
    expect(summary.judge?.promptHash).toBeTruthy();
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    writeFileSync(a, JSON.stringify(summary));
    writeFileSync(b, JSON.stringify({ ...summary, judge: { ...summary.judge, promptHash: "0000edited" } }));
    expect((await runCli(["compare", a, a], dir)).code).toBe(0);
    const refused = await runCli(["compare", a, b, "--force"], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/judged differently \(judge prompt hash/);
  }, 120_000);
});
