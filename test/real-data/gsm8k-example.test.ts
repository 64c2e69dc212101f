import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA, gsm8kAttribution, runGsm8kExample } from "../../devkit/examples/gsm8k-real.ts";
import { Summary } from "../../src/contracts/summary.ts";
import { tempDir } from "../e2e/cli.ts";

// Issue 14, item 5: `npm run eval` shows real evidence beside the SIMULATED examples.
const present = existsSync(join(DEFAULT_DATA, "routellm_gsm8k", "gsm8k_two_models.jsonl"));

describe("the real-data example (GSM8K, read in place)", () => {
  it("is skipped with one line when the data is absent", async () => {
    const lines: string[] = [];
    const out = await runGsm8kExample({
      dataDir: join(tempDir(), "no-data"),
      reports: tempDir(),
      log: (l) => lines.push(l),
    });
    expect(out).toBeNull();
    expect(lines).toEqual([
      expect.stringMatching(/^gsm8k-real: skipped \(the real GSM8K records are not at .*no-data/),
    ]);
  });

  it.runIf(present)(
    "replays the real records: not SIMULATED, RouteLLM's accuracies, the data's attribution in the report",
    async () => {
      const reports = tempDir();
      const lines: string[] = [];
      const out = await runGsm8kExample({ reports, log: (l) => lines.push(l) });
      expect(out).not.toBeNull();
      const summary = Summary.parse(JSON.parse(readFileSync(join(out!, "summary.json"), "utf8")));
      expect(summary.simulated).toBe(false);
      expect(summary.dataset.items).toBe(1307);
      // The data README's figures for the uncontaminated items (test/real-data/gsm8k-replay.test.ts pins them).
      const quality = summary.models.map((m) => m.quality);
      expect(quality[0]).toBeCloseTo(0.6373, 4);
      expect(quality[1]).toBeCloseTo(0.8577, 4);
      const attribution = gsm8kAttribution(DEFAULT_DATA);
      expect(attribution).toMatch(/lm-sys\/RouteLLM \(commit [0-9a-f]+\), Apache-2\.0; GSM8K is MIT/);
      const md = readFileSync(join(reports, "gsm8k-real", "latest", "report.md"), "utf8");
      expect(md).not.toMatch(/SIMULATED/);
      expect(md).toContain(attribution);
      expect(existsSync(join(reports, "gsm8k-real", "latest", "report.html"))).toBe(true);
      expect(lines.at(-1)).toBe(`  data: ${attribution}`);
    },
  );
});
