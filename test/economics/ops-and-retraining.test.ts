import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/economics/build-plan.ts";
import { renderPlanMarkdown } from "../../src/economics/render-plan.ts";
import { deployment, selfHostEconomics } from "../../src/economics/self-hosting.ts";
import { parseTrafficProfile, SelfHosting } from "../../src/economics/traffic-profile.ts";
import { workedPrices, workedSummary, workedTraffic } from "./worked-example.ts";

// Issue 17 items 3 and 5, computed by hand: the operations cost of self-hosting (and a reserved GPU
// price) in the break-even figures and the verdict, and the fine-tune break-even with a retraining
// cadence and the training cost a candidate carries from its job.

// Deployment: 2 GPUs x $2/h = $4/h, 1000 output tok/s, utilisation 0.5. A request: 100 output
// tokens = 0.1 s busy. API: $0.001 per request. One deployment serves up to
// 730 h x 3600 x 0.5 / 0.1 = 13,140,000 requests/month before a second is needed.
const spec = (extra: object = {}) =>
  SelfHosting.parse({ replaces: "m", gpuHourUsd: 2, gpus: 2, outputTokensPerSec: 1000, utilisation: 0.5, ...extra });
const tokens = { input: 0, output: 100 };

describe("self-hosting with the people who run it", () => {
  it("adds opsCostPerMonthUsd to the break-even volume and utilisation, and flips the verdict", () => {
    const d = deployment(spec({ opsCostPerMonthUsd: 3000 }), 1000);
    // 5M requests: busy 500,000 s = 138.89 h; GPUs max(730, 277.8) h x $4 = $2920; API $5000.
    const e = selfHostEconomics(5_000_000, tokens, 0.001, d);
    expect(e.gpuMonthlyUsd).toBeCloseTo(2920, 9);
    expect(e.apiMonthlyUsd).toBeCloseTo(5000, 9);
    expect(e.cheaper).toEqual({ withoutOps: "self-hosting", withOps: "api" });
    // Break-even volume: floor (+ ops) / API price, inside one deployment's capacity.
    expect(e.withoutOps.breakEvenRequestsPerMonth).toBeCloseTo(2_920_000, 3); // 2920 / 0.001
    expect(e.breakEvenRequestsPerMonth).toBeCloseTo(5_920_000, 3); // (2920 + 3000) / 0.001
    // Break-even utilisation: busy x $4 / (API - ops): 555.56 / 2000 vs 555.56 / 5000.
    expect(e.breakEvenUtilisation).toBeCloseTo(555.5555556 / 2000, 9);
    expect(e.withoutOps.breakEvenUtilisation).toBeCloseTo(555.5555556 / 5000, 9);
    // When operations alone cost more than the API, no utilisation pays.
    expect(selfHostEconomics(1_000_000, tokens, 0.001, d).breakEvenUtilisation).toBeNull();
  });

  it("prices a reserved deployment all month and only the overflow on demand", () => {
    // Reserved $1.20/GPU-h x 2 = $2.40/h: fixed 730 x 2.4 = $1752.
    const d = deployment(spec({ opsCostPerMonthUsd: 3000, reserved: { gpuHourUsd: 1.2 } }), 1000);
    // 20M requests: busy 555.56 h, paid 1111.11 h: 1752 + (1111.11 - 730) x 4 = 3276.44.
    expect(selfHostEconomics(20_000_000, tokens, 0.001, d).gpuMonthlyUsd).toBeCloseTo(
      1752 + (1111.111111 - 730) * 4,
      5,
    );
    // Within the reserved capacity: (1752 + 3000) / 0.001.
    expect(selfHostEconomics(1_000_000, tokens, 0.001, d).breakEvenRequestsPerMonth).toBeCloseTo(4_752_000, 3);
    // Past it (API $0.0003): marginal m = 0.1 / 1800 x 4 = 0.000222...; capacity 13,140,000;
    // V = (1752 + 3000 - m x 13,140,000) / (0.0003 - m) = 1832 / 0.0000777... = 23,554,285.71
    expect(selfHostEconomics(1_000_000, tokens, 0.0003, d).breakEvenRequestsPerMonth).toBeCloseTo(23_554_285.714, 2);
    // An API cheaper per request than the on-demand margin never breaks even.
    expect(selfHostEconomics(1_000_000, tokens, 0.0002, d).breakEvenRequestsPerMonth).toBeNull();
  });

  it("the plan's self-hosting lever and report include the operations cost and say what wins with and without it", () => {
    const base = buildPlan(workedSummary(), parseTrafficProfile(workedTraffic, "t.json"), workedPrices);
    const traffic = { ...workedTraffic, selfHosting: { ...workedTraffic.selfHosting, opsCostPerMonthUsd: 1000 } };
    const plan = buildPlan(workedSummary(), parseTrafficProfile(traffic, "t.json"), workedPrices);
    const monthly = (p: typeof plan, lever: string) =>
      p.policies.find((x) => x.id === "mix")!.projections.find((x) => x.lever === lever)!.monthlyUsd;
    expect(monthly(plan, "self-hosting") - monthly(base, "self-hosting")).toBeCloseTo(1000, 6);
    expect(monthly(plan, "caching+batch")).toBeCloseTo(monthly(base, "caching+batch"), 9);
    expect(plan.selfHosting!.opsMonthlyUsd).toBe(1000);
    const md = renderPlanMarkdown(plan);
    // Markdown escapes every $ as \$.
    expect(md).toMatch(/\+ operations \\\$1,000\/month/);
    expect(md).toMatch(/without operations cost the API wins .*; with \\\$1,000\/month of operations the API wins/);
    expect(renderPlanMarkdown(base)).toMatch(/no operations cost was given/);
  });
});

describe("fine-tune break-even with retraining and the job's training cost", () => {
  it("a retraining cadence shorter than the horizon pays the training again every R months", () => {
    const at = (ft: object) =>
      buildPlan(workedSummary(), parseTrafficProfile({ ...workedTraffic, fineTune: ft }, "t.json"), workedPrices)
        .fineTune!;
    const spread = at({ trainingCostUsd: 6000, perRequestUsd: 0.002, amortiseMonths: 12 });
    const retrained = at({ trainingCostUsd: 6000, perRequestUsd: 0.002, amortiseMonths: 12, retrainEveryMonths: 3 });
    expect(spread.trainingMonthlyUsd).toBe(500);
    expect(retrained.trainingMonthlyUsd).toBe(2000);
    const be = (p: typeof spread) => p.versus.find((v) => v.policy === "always:w:big")!.breakEvenRequestsPerMonth!;
    expect(be(retrained) / be(spread)).toBeCloseTo(4, 12);
    expect(retrained.monthlyUsd - spread.monthlyUsd).toBeCloseTo(1500, 9);
    // People's setup time is paid again with each retraining: (6000 + 3000) / 3.
    const withSetup = at({ trainingCostUsd: 6000, setupCostUsd: 3000, perRequestUsd: 0.002, retrainEveryMonths: 3 });
    expect(withSetup.trainingMonthlyUsd).toBe(3000);
  });

  it("uses the training cost the candidate carries from its job over the profile's figure", () => {
    const summary = workedSummary();
    const small = summary.models.find((m) => m.id === "w:small")!;
    small.fineTune = { baseModel: "gpt-4.1-mini-2025-04-14", trainingCostUsd: 240 };
    const traffic = { ...workedTraffic, fineTune: { candidate: "w:small", trainingCostUsd: 5000, amortiseMonths: 12 } };
    const plan = buildPlan(summary, parseTrafficProfile(traffic, "t.json"), workedPrices);
    expect(plan.fineTune!.trainingCostUsd).toBe(240);
    expect(plan.fineTune!.trainingCostSource).toBe("job");
    expect(plan.fineTune!.trainingMonthlyUsd).toBe(20);
    expect(plan.notes.join("\n")).toMatch(/5000 in the profile is replaced by 240/);
    // Without a figure in the profile, the job's cost alone prices it.
    const jobOnly = { ...workedTraffic, fineTune: { candidate: "w:small" } };
    expect(buildPlan(summary, parseTrafficProfile(jobOnly, "t.json"), workedPrices).fineTune!.trainingCostUsd).toBe(
      240,
    );
    expect(renderPlanMarkdown(plan)).toContain("as its fine-tuning job reported it");
  });
});
