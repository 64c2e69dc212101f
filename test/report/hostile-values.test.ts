import { describe, expect, it } from "vitest";
import type { Summary } from "../../src/contracts/summary.ts";
import { buildPlan } from "../../src/economics/build-plan.ts";
import { renderPlanMarkdown } from "../../src/economics/render-plan.ts";
import { parseTrafficProfile } from "../../src/economics/traffic-profile.ts";
import { prComment } from "../../src/gate/pr-comment.ts";
import { renderHtml } from "../../src/report/render-html.ts";
import { renderMarkdown } from "../../src/report/render-markdown.ts";
import { workedPrices, workedSummary, workedTraffic } from "../economics/worked-example.ts";
import { HOSTILE, renderGfm, tagSkeleton } from "./gfm.ts";
import { feature, router, summaryFixture } from "./summary-fixture.ts";

// Issue 10 item 3: every text of a summary comes from somewhere a pull request or a provider
// controls (dataset ids and feature names, router and model ids, provider error text, notes). With
// a hostile value appended to every one of them, report.md, the PR comment and report.html must
// keep exactly the structure they have with harmless values: no forged verdict line or heading, no
// image, link, tag or table break.

/** A summary using every text field the reports show, each ending with `tail`. */
function summaryWith(tail: string): Summary {
  const t = (s: string) => `${s}${tail}`;
  const base = summaryFixture({ simulated: false });
  const features = [feature(t("billing"), 15, 0.9, 1.2), feature(t("tech"), 25, 0.8, 1.2)];
  const routers = [
    router("always:sim:cheap", 0.6, 0.15, { features }),
    router("always:sim:flagship", 0.85, 2.5, { features }),
    router(t("heuristic"), 0.84, 1.2, { params: { threshold: 0.5, mode: t("fast"), weights: [1, 2, 3] }, features }),
  ];
  return {
    ...base,
    dataset: { ...base.dataset, name: t("support") },
    runId: t("run-1"),
    scorer: t("label"),
    split: { ...base.split, seed: t("seed") },
    priceTable: { version: t("2026-11-26.1"), date: t("2026-11-26") },
    models: base.models.map((m) => ({ ...m, snapshot: t(m.snapshot), tier: t(m.tier ?? "tier") })),
    routers,
    frontier: [routers[2]!.id],
    collection: {
      ...base.collection,
      errors: 1,
      failures: [{ model: "sim:cheap", itemId: t("q1"), role: "answer", code: t("bad_request"), error: t("400") }],
      redacted: 1,
      redactedOutcomes: [{ model: "sim:cheap", itemId: t("q2"), role: "answer" }],
    },
    gate: {
      passed: false,
      checks: [
        { name: t("heuristic vs baseline: quality (feature billing)"), passed: false, value: -0.1, threshold: -0.02 },
        { name: "cost", passed: true, value: 1, threshold: 2, detail: t("measured") },
      ],
      baseline: { file: t("routing.config.json"), routerId: t("heuristic"), runId: t("run-0") },
      inputsFrom: t("origin/main"),
      reviewRequired: [t("golden items changed")],
    },
    warnings: [t("a note")],
    judge: {
      model: t("judge"),
      mode: "pairwise",
      promptHash: "abc123",
      calls: 2,
      costUsd: 0.01,
      flipRate: null,
      tieRate: null,
      lengthCorrelation: null,
      kappaVsExact: null,
      injectionItems: [t("adv-1")],
      injection: {
        onInjection: "exclude",
        items: [{ itemId: t("adv-1"), sources: [t("answer:sim:cheap")] }],
        answersScoredAsLoss: 1,
        excluded: [t("adv-1")],
        policies: [
          { id: t("heuristic"), withFlagged: 0.8, withoutFlagged: 0.9, items: { withFlagged: 40, withoutFlagged: 39 } },
        ],
      },
    },
    adversarial: [
      {
        itemId: t("adv-1"),
        tags: [t("tag")],
        choices: { [routers[2]!.id]: "sim:cheap" },
        quality: { [routers[2]!.id]: 1 },
        heldOut: true,
      },
    ],
  };
}

const clean = summaryWith("");

describe("hostile values in reports", () => {
  it("cannot change the structure of report.md", () => {
    const reference = tagSkeleton(renderGfm(renderMarkdown(clean)));
    for (const value of HOSTILE) {
      const md = renderMarkdown(summaryWith(value));
      expect(tagSkeleton(renderGfm(md)), JSON.stringify(value)).toEqual(reference);
      // Exactly one verdict line, the real one.
      expect(md.match(/^\*\*Verdict/gm), JSON.stringify(value)).toEqual(["**Verdict"]);
      expect(md).toMatch(/^\*\*Verdict: BLOCKED\*\*$/m);
      // The judge's injection table is among what was rendered.
      expect(md).toMatch(/^## Text aimed at the judge$/m);
    }
  });

  it("cannot change the structure of the pull-request comment, its failures or its warnings", () => {
    const comment = (s: Summary) => prComment([{ summary: s, markdown: renderMarkdown(s) }]);
    const ref = comment(clean);
    const shape = (c: ReturnType<typeof comment>) => [
      tagSkeleton(renderGfm(c.markdown)),
      ...c.failures.map((f) => tagSkeleton(renderGfm(f))),
      ...c.warnings.map((w) => tagSkeleton(renderGfm(w))),
    ];
    for (const value of HOSTILE) {
      expect(shape(comment(summaryWith(value))), JSON.stringify(value)).toEqual(shape(ref));
    }
  });

  it("cannot change the structure of report.html (escaped by Handlebars)", () => {
    const body = (html: string) => tagSkeleton(html.replace(/<svg[\s\S]*<\/svg>/, "<svg></svg>"));
    const reference = body(renderHtml(clean));
    for (const value of HOSTILE) {
      const html = renderHtml(summaryWith(value));
      expect(body(html), JSON.stringify(value)).toEqual(reference);
      expect(html).not.toMatch(/<(img|script|a)\b/i);
      // The prompt-injection sections are among what was rendered (and escaped).
      expect(html).toContain('<section id="injection">');
      expect(html).toContain('<section id="judge-injection">');
    }
  });

  it("report.html shows the prompt-injection items and the judge's injection table report.md shows", () => {
    const html = renderHtml(clean);
    const md = renderMarkdown(clean);
    const section = (id: string) =>
      html.slice(
        html.indexOf(`<section id="${id}">`),
        html.indexOf("</section>", html.indexOf(`<section id="${id}">`)),
      );
    const injection = section("injection");
    // The same line per item: its id, held-out mark and each router's choice with the score.
    expect(md).toContain("- <code>adv-1</code> (held-out): heuristic → sim:cheap (1.00)");
    expect(injection).toContain(
      '<li><code>adv-1</code> <span class="muted">(held-out)</span> <span class="muted">[tag]</span>: heuristic → sim:cheap (1.00)</li>',
    );
    const judge = section("judge-injection");
    expect(md).toContain("| heuristic | 0.800 (40 items) | 0.900 (39 items) |");
    expect(judge).toContain("1 item(s) carry text aimed at the judge (policy <code>exclude</code>)");
    expect(judge).toContain("Left out of every policy's figures: adv-1.");
    expect(judge).toMatch(
      /<td class="id">heuristic<\/td><td>0\.800 <span class="muted">\(40 items\)<\/span><\/td><td>0\.900 <span class="muted">\(39 items\)<\/span><\/td>/,
    );
    // Neither section without its data.
    const bare = renderHtml({ ...clean, adversarial: [], judge: null });
    expect(bare).not.toContain('id="injection"');
    expect(bare).not.toContain('id="judge-injection"');
  });
});

describe("hostile values in the cost plan appended to report.md", () => {
  it("cannot change its structure", () => {
    const plan = (tail: string) => {
      const s = workedSummary();
      const renamed = s.routers.map((r) => (r.id.startsWith("always:") ? r : { ...r, id: `${r.id}${tail}` }));
      return renderPlanMarkdown(
        buildPlan({ ...s, routers: renamed }, parseTrafficProfile(workedTraffic, "t.json"), workedPrices),
        2,
      );
    };
    const reference = tagSkeleton(renderGfm(plan("")));
    for (const value of HOSTILE) expect(tagSkeleton(renderGfm(plan(value))), JSON.stringify(value)).toEqual(reference);
  });
});
