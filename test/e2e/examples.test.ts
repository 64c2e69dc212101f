import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_EVALS } from "../example-evals.ts";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { allRuns } from "./eval-json.ts";

// `npm run eval` is `routegate eval` in the project root: every evals/*.eval.ts, offline on sim.
// The examples are named, not found by listing evals/: a user's own eval there stays out of `npm test`.
describe("the example evals (npm run eval)", () => {
  it("pass their gates, say SIMULATED, and make no provider call the second time", async () => {
    const dir = tempDir();
    const args = [
      "eval",
      ...EXAMPLE_EVALS,
      "--store",
      join(dir, "store.sqlite"),
      "--reports",
      join(dir, "reports"),
      "--json",
    ];
    // In-process: `.ci/run` runs `npm run eval` itself, through the real binary.
    const first = await runCli(args, ROOT);
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    const runs = allRuns(first.stdout);
    expect(runs.map((s) => s.eval).sort()).toEqual([...EXAMPLE_EVALS].sort());
    // The open-ended example is scored by a (simulated) judge; the others by exact scorers.
    for (const s of runs) expect(s.judge === null).toBe(s.eval !== "support-answers");
    for (const s of runs) {
      expect(s.simulated).toBe(true);
      expect(s.collection.providerCalls).toBeGreaterThan(0);
      expect(s.gate.passed).toBe(true);
      expect(readFileSync(join(dir, "reports", s.eval, "latest", "report.md"), "utf8")).toMatch(/^> \*\*SIMULATED\*\*/);
      // Routers are reported on the held-out split, calibrated on the rest.
      expect(s.routers.every((r) => r.heldOut)).toBe(true);
      expect(s.split.calibration + s.split.heldOut).toBe(s.dataset.items);
      // Prompt caching is measured: where cached tokens were billed, the uncached price is not lower
      // (equal where a model has no cached-input discount), and strictly higher for some model.
      const cached = s.models.filter((x) => (x.cacheHitRate ?? 0) > 0);
      for (const m of cached) expect(m.costPer1kWithoutCache!).toBeGreaterThanOrEqual(m.costPer1k * (1 - 1e-12));
      if (cached.length) expect(cached.some((m) => m.costPer1kWithoutCache! > m.costPer1k * 1.01)).toBe(true);
    }

    const second = await runCli(args, ROOT);
    expect(second.code).toBe(0);
    const again = allRuns(second.stdout);
    for (const s of again) {
      expect(s.collection.providerCalls).toBe(0);
      // Routers may ask again for an answer they already hold (a cascade's own attempt); those
      // repeats are shared in memory, so only distinct requests count as answered from the store.
      expect(s.collection.fromStore).toBeGreaterThan(0);
      expect(s.collection.fromStore).toBeLessThanOrEqual(s.collection.requests);
      const before = runs.find((r) => r.eval === s.eval)!;
      expect(s.routers.map((r) => [r.id, r.quality.mean, r.costPer1k])).toEqual(
        before.routers.map((r) => [r.id, r.quality.mean, r.costPer1k]),
      );
    }
  });
});
