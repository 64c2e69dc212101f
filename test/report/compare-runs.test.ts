import { describe, expect, it } from "vitest";
import { compareRuns, datasetMismatch } from "../../src/report/compare-runs.ts";
import { renderRunDiff } from "../../src/report/render-compare.ts";
import { feature, router, summaryFixture } from "./summary-fixture.ts";

const a = summaryFixture({ simulated: false });
const b = summaryFixture({
  simulated: false,
  runId: "2026-11-27T00-00-00Z-beef",
  models: [...a.models, { ...a.models[0]!, id: "sim:mid", tier: "mid" }].filter((m) => m.id !== "sim:cheap"),
  routers: [
    router("always:sim:flagship", 0.85, 2.5),
    router("heuristic", 0.8, 1.0, {
      params: { threshold: 0.7 },
      strongShare: 0.3,
      features: [feature("billing", 15, 0.9, 1), feature("tech", 25, 0.74, 1)],
    }),
    router("random", 0.7, 1.4),
    router("cascade", 0.83, 0.9),
  ],
});

describe("compareRuns", () => {
  const diff = compareRuns(a, b);
  const policy = (id: string) => diff.policies.find((p) => p.id === id)!;

  it("diffs each policy B minus A: quality, cost per 1K, strong share, params", () => {
    const h = policy("heuristic");
    expect(h.quality).toBeCloseTo(-0.04, 12);
    expect(h.costPer1k).toBeCloseTo(-0.2, 12);
    expect(h.costRel).toBeCloseTo(1.0 / 1.2 - 1, 12);
    expect(h.strongShare).toBeCloseTo(-0.1, 12);
    expect(h.paramsChanged).toBe(true);
    expect(policy("random")).toMatchObject({ quality: 0, costPer1k: 0, paramsChanged: false });
  });

  it("lists policies and models added and removed, B's order first", () => {
    expect(diff.policies.map((p) => p.id)).toEqual([
      "always:sim:flagship",
      "heuristic",
      "random",
      "cascade",
      "always:sim:cheap",
    ]);
    expect(diff.policiesAdded).toEqual(["cascade"]);
    expect(diff.policiesRemoved).toEqual(["always:sim:cheap"]);
    expect(diff.modelsAdded).toEqual(["sim:mid"]);
    expect(diff.modelsRemoved).toEqual(["sim:cheap"]);
    expect(policy("cascade")).toMatchObject({ a: null, quality: null, costRel: null });
  });

  it("diffs features both runs report", () => {
    expect(diff.features.map((f) => f.feature)).toEqual(["billing", "tech"]);
    const k = diff.policies.findIndex((p) => p.id === "heuristic");
    expect(diff.features[1]!.quality[k]).toBeCloseTo(0.74 - 0.81, 12);
    expect(diff.features[0]!.quality[diff.policies.findIndex((p) => p.id === "cascade")]).toBeNull();
  });

  it("notes a price-table change and a split change; SIMULATED when either run was", () => {
    const moved = compareRuns(a, {
      ...b,
      priceTable: { version: "2027-01-01.1", date: "2027-01-01" },
      split: { ...b.split, seed: "other" },
    });
    expect(moved.notes.join("\n")).toMatch(/Different price tables/);
    expect(moved.notes.join("\n")).toMatch(/Different splits/);
    expect(diff.simulated).toBe(false);
    expect(compareRuns(a, { ...b, simulated: true }).simulated).toBe(true);
  });
});

describe("datasetMismatch", () => {
  it("is null for the same golden set and says why otherwise", () => {
    expect(datasetMismatch(a, b)).toBeNull();
    const other = { ...b, dataset: { name: "support", items: 81, hash: "b".repeat(64) } };
    expect(datasetMismatch(a, other)).toMatch(/different golden sets.*80 items.*81 items/);
  });
});

describe("renderRunDiff", () => {
  it("prints a Markdown table of deltas and the changes around it", () => {
    const md = renderRunDiff(compareRuns(a, b));
    expect(md.split("\n")[0]).toBe("# routegate compare: support");
    expect(md).toContain(
      "| heuristic (params changed) | 0.840 → 0.800 | −0.040 | $1.20 → $1.00 | −16.7% | 40.0% → 30.0% | −10.0 pp |",
    );
    expect(md).toContain("| cascade (added) | – → 0.830 | – |");
    expect(md).toContain("| always:sim:cheap (removed) |");
    expect(md).toContain("- Models added in B: <code>sim:mid</code>");
    expect(md).toContain("- Models removed in B: <code>sim:cheap</code>");
    expect(md).toContain("| policy | billing | tech |");
  });

  it("opens with SIMULATED when a run was simulated, and names a forced comparison", () => {
    const md = renderRunDiff(compareRuns(a, { ...b, simulated: true }), "the runs scored different golden sets");
    expect(md.split("\n")[0]).toMatch(/^> \*\*SIMULATED\*\*/);
    expect(md).toContain("**Compared with --force**: the runs scored different golden sets.");
  });
});
