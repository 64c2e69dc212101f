import { describe, expect, it } from "vitest";
import { Summary } from "../../src/contracts/summary.ts";
import { referencePolicy } from "../../src/report/reference.ts";
import { renderHtml } from "../../src/report/render-html.ts";
import { renderMarkdown } from "../../src/report/render-markdown.ts";
import { reportView } from "../../src/report/report-view.ts";
import { feature, router, summaryFixture } from "./summary-fixture.ts";

const oneFeature = (s: Summary): Summary => ({
  ...s,
  routers: s.routers.map((r) => ({ ...r, features: [feature("billing", 40, r.quality.mean, r.costPer1k)] })),
});

describe("the fixture", () => {
  it("is a valid summary.json", () => {
    expect(() => Summary.parse(summaryFixture())).not.toThrow();
  });
});

describe("referencePolicy", () => {
  it("is always-strong in a two-tier eval, else the dearest single model", () => {
    expect(referencePolicy(summaryFixture())?.id).toBe("always:sim:flagship");
    const manyModels = summaryFixture({
      twoTier: null,
      routers: [
        router("always:a", 0.7, 1),
        router("always:b", 0.8, 3),
        router("always:c", 0.9, 2),
        router("r", 0.9, 9),
      ],
    });
    expect(referencePolicy(manyModels)?.id).toBe("always:b");
  });
});

describe("report.md", () => {
  it("opens with the SIMULATED banner, then the verdict; no banner for a real run", () => {
    const md = renderMarkdown(summaryFixture());
    expect(md.split("\n")[0]).toMatch(/^> \*\*SIMULATED\*\*/);
    expect(md.indexOf("Verdict: PASSED")).toBeLessThan(md.indexOf("## Policies"));
    expect(renderMarkdown(summaryFixture({ simulated: false })).split("\n")[0]).toBe("# routegate: support");
  });

  it("says NO GATES, not PASSED, when no gate was declared, also for a version 1 summary (no verdict field)", () => {
    const none = summaryFixture({ gate: { passed: true, checks: [] } });
    expect(none.schemaVersion).toBe(1);
    const md = renderMarkdown(none);
    expect(md).toContain("**Verdict: NO GATES** (no gates declared: nothing was checked)");
    expect(md).not.toContain("PASSED");
    expect(renderHtml(none)).toContain('<p class="verdict no-gates" id="verdict">Verdict: <strong>NO GATES</strong>');
    const blocked = summaryFixture({
      gate: { passed: false, checks: [{ name: "x", passed: false, value: 0.1, threshold: 0.5 }] },
    });
    expect(renderMarkdown(blocked)).toContain("**Verdict: BLOCKED**");
  });

  it("shows deltas against the reference policy", () => {
    const md = renderMarkdown(summaryFixture());
    const row = md.split("\n").find((l) => l.startsWith("| **heuristic**"))!;
    // 0.84 - 0.85 and 1.2 / 2.5 - 1.
    expect(row).toContain("| −0.010 / −52.0% |");
    const reference = md.split("\n").find((l) => l.startsWith("| **always:sim:flagship** ◆"))!;
    expect(reference).toContain("(reference)");
    expect(reference).toContain("| reference |");
    expect(md).toContain("| vs reference: quality / cost |");
    expect(md).not.toMatch(/baseline/i);
  });

  it("adds the per-feature table only when there is more than one feature", () => {
    const md = renderMarkdown(summaryFixture());
    expect(md).toContain("## Per feature (held-out)");
    expect(md).toContain("| policy | billing (15) | tech (25) |");
    expect(md).toContain("| heuristic | 0.890 / $1.20 | 0.810 / $1.20 |");
    expect(renderMarkdown(oneFeature(summaryFixture()))).not.toContain("Per feature");
  });
});

describe("report.html", () => {
  const html = renderHtml(summaryFixture());

  it("puts the SIMULATED banner first in the body, and leaves it out of a real run", () => {
    const body = html.slice(html.indexOf("<body>") + "<body>".length).trimStart();
    expect(body.startsWith('<div class="banner simulated"')).toBe(true);
    expect(html).toContain("<title>SIMULATED · routegate: support · PASSED</title>");
    expect(renderHtml(summaryFixture({ simulated: false }))).not.toContain("banner simulated");
  });

  it("is self-contained: inline CSS and SVG, no script, no external reference", () => {
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|@import|url\(/i);
    expect(html).not.toMatch(/href="(?!#)/);
    expect(html).toContain("<style>");
    expect(html.match(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="chart"/g)).toHaveLength(1);
    expect(html.match(/<circle class="policy/g)).toHaveLength(4);
  });

  it("shows the verdict, gate checks, per-feature tables, cost percentiles and tier figures", () => {
    expect(html).toContain("Verdict: <strong>PASSED</strong>");
    expect(html).toContain("heuristic: quality &gt;&#x3D; 0.75");
    expect(html.match(/<table class="feature">/g)).toHaveLength(2);
    expect(html).toContain("n too small");
    expect(html).toMatch(/<th>batch share<\/th>/);
    expect(html).not.toContain('id="judge"');
  });

  it("escapes every text that comes from datasets, evals and routers", () => {
    const evil = renderHtml(
      summaryFixture({
        eval: '<img src=x onerror="alert(1)">',
        routers: [router("<b>bold</b>", 0.7, 1), router("always:sim:flagship", 0.8, 2)],
        frontier: ["<b>bold</b>"],
        warnings: ["<script>alert(2)</script>"],
      }),
    );
    expect(evil).not.toContain("<img");
    expect(evil).not.toContain("<b>bold");
    expect(evil).not.toContain("<script>");
    expect(evil).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(evil).toContain("&#60;b&#62;bold&#60;/b&#62;"); // inside the SVG
  });

  it("omits batch share with a note when the summary predates it, and notes a single feature", () => {
    const s = oneFeature(summaryFixture());
    const old = renderHtml({ ...s, models: s.models.map(({ batchShare: _, ...m }) => m) });
    expect(old).not.toContain("<th>batch share</th>");
    expect(old).toContain("this summary predates batch accounting");
    expect(old).toContain("Every reporting item belongs to one feature");
  });
});

describe("reportView", () => {
  it("groups tokens by tier and computes the cache hit rate over all input", () => {
    const v = reportView(summaryFixture());
    expect(v.tiers.map((t) => t.tier)).toEqual(["cheap", "flagship"]);
    expect(v.tiers[0]).toMatchObject({ input: 1000, cachedInput: 500, cacheHitRate: 0.5, batchShare: 0 });
    expect(v.batchShare).toBe(0);
    expect(v.multiFeature).toBe(true);
    expect(v.featureTables[0]!.rows.find((r) => r.id === "heuristic")!.delta.quality).toBeCloseTo(-0.01, 12);
  });
});

describe("report.html collection", () => {
  it("lists failed outcomes, escaped, and the amount spent", () => {
    const s = summaryFixture();
    const html = renderHtml({
      ...s,
      collection: {
        ...s.collection,
        errors: 3,
        spentUsd: 0.5,
        budgetUsd: 2,
        failures: [{ model: "sim:cheap", itemId: "q<1>", role: "answer", code: "rate_limited", error: "429 <html>" }],
      },
    });
    expect(html).toContain("Provider calls cost $0.500 of the $2.00 budget.");
    expect(html).toContain('Errors <span class="muted">(1 of 3, by model and item)</span>');
    expect(html).toContain("<code>q&lt;1&gt;</code> (answer): <code>rate_limited</code> 429 &lt;html&gt;");
  });
});
