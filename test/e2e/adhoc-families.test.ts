import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILY_NAMES } from "../../src/routing/index.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";
import { writeRoutingProject } from "./routing-fixture.ts";

// Item 2: an ad-hoc run with no router named evaluates every built-in family, built by fixed rules
// on calibration items, reported on held-out items, and recommends the policy chosen on calibration.

const run = async (extra: string[] = []) => {
  const dir = tempDir("rg-families-");
  const { dataset, models } = writeRoutingProject(dir);
  const args = ["eval", "--dataset", dataset, "--models", models.join(","), "--scorer", "exact", "--offline"];
  const out = ["--store", join(dir, "s.sqlite"), "--reports", join(dir, "r"), "--json"];
  return { dir, result: await runCli([...args, ...out, ...extra], dir) };
};

describe("routegate eval --dataset --models --scorer (no router named)", () => {
  it("evaluates every family on held-out items, skips what replay cannot call, and recommends on calibration", async () => {
    const { dir, result } = await run(["--non-inferior-to", "best", "--margin", "0.15"]);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const s = onlyRun(result.stdout);
    const ids = s.routers.map((r) => r.id);
    expect(ids).toEqual([
      "always:replay:cheap",
      "always:replay:mid",
      "always:replay:strong",
      "random",
      "oracle",
      "length",
      "agreement-cascade",
      "learned",
      "learned-cascade",
      "quality-cost-means",
      "quality-cost-learned",
      "quality-cost-probed",
      "knn",
    ]);
    expect(s.routers.every((r) => r.heldOut)).toBe(true);
    // The fixed rules: strong is the best on calibration; the two cheap probes agree, else escalate.
    const cascade = s.routers.find((r) => r.id === "agreement-cascade")!;
    for (const model of Object.keys(cascade.modelShare)) expect(["replay:mid", "replay:strong"]).toContain(model);
    // A classifier's prompt is not among recorded answers: skipped with a note, never an error.
    expect(s.skippedRouters).toEqual([{ family: "classifier", reason: expect.stringMatching(/replay or offline/) }]);
    expect(s.warnings.some((w) => /router family classifier skipped/.test(w))).toBe(true);
    // The oracle is an upper bound: reported, flagged, never recommended.
    expect(s.routers.find((r) => r.id === "oracle")!.evaluationOnly).toBe(true);
    expect(s.recommendation!.router).not.toBe("oracle");
    expect(s.recommendation!.rule).toMatch(/cheapest non-inferior to replay:strong.*calibration/);
    expect(s.routers.find((r) => r.id === s.recommendation!.router)!.nonInferiority).toBeDefined();
    const md = readFileSync(join(dir, "r", "tickets", "latest", "report.md"), "utf8");
    expect(md).toContain(`**Recommended: <code>${s.recommendation!.router}</code>**`);
    expect(md).toMatch(/Non-inferiority against <code>replay:strong<\/code>/);
    expect(result.stderr).toMatch(/\* recommended: /);
  }, 120_000);

  it("--routers names families; an unknown one is exit 2 listing them all", async () => {
    const some = await run(["--routers", "knn,cascade"]);
    expect(some.result.code).toBe(0);
    const s = onlyRun(some.result.stdout);
    expect(s.routers.map((r) => r.id).filter((id) => !id.startsWith("always:"))).toEqual(["knn", "agreement-cascade"]);
    const bad = await run(["--routers", "knn,telepathy"]);
    expect(bad.result.code).toBe(2);
    expect(bad.result.stderr).toMatch(/--routers.*unknown router family "telepathy"/);
    expect(bad.result.stderr).toContain(FAMILY_NAMES.join(", "));
  }, 120_000);
});
