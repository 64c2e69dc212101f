import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/economics/build-plan.ts";
import { type Lever, planContext, projectCombination } from "../../src/economics/plan.ts";
import { renderPlanMarkdown } from "../../src/economics/render-plan.ts";
import { parseTrafficProfile } from "../../src/economics/traffic-profile.ts";
import { workedPrices, workedSummary, workedTraffic } from "./worked-example.ts";

// The worked example, computed by hand like a spreadsheet: every cell below is derived here from
// the inputs in worked-example.ts, never from the planner's code; the final figures are also
// written out as literals (from the same hand calculation) so a silent change in the arithmetic
// here cannot hide a change in the planner.

// ---- Inputs -----------------------------------------------------------------------------------
// Prices, USD per 1M tokens:  w:small in 1 / cached 0.1 / out 4;  w:big in 10 / cached 1 / write 12.5 / out 40.
// Batch multiplier 0.5. Dataset 100 items. Tokens per request (totals / 100):
//   w:small: input 2000, cached 1500 -> stable-prefix share s = 0.75, output 100
//   w:big:   input 2000, cached 1000 -> s = 0.5,                       output 200
// Traffic: chat 146,000/month, mean inter-arrival 600 s, not batchable;
//          digest 73,000/month, no pattern (even spread), 50% batchable. TTL 300 s. Total 219,000.

// ---- Step 1: measured cost per request, recomputed from tokens (uncached + cached + output) -------
const smallMeasured = (500 * 1 + 1500 * 0.1 + 100 * 4) / 1e6; // 0.00105  (= summary 1.05 per 1K)
const bigMeasured = (1000 * 10 + 1000 * 1 + 200 * 40) / 1e6; // 0.019    (= summary 19 per 1K)

// ---- Step 2: list cost per request (no caching: all input at the input price) ----------------------
const smallList = (2000 * 1 + 100 * 4) / 1e6; // 0.0024
const bigList = (2000 * 10 + 200 * 40) / 1e6; // 0.028

// ---- Step 3: cost per request with a prefix-cache hit probability h --------------------------------
// input price per token = (1 - s) x in + s x h x cached + s x (1 - h) x write (write = in when unlisted)
// w:small: 0.25 x 1 + 0.75h x 0.1 + 0.75(1-h) x 1 = 1 - 0.675h -> (2000(1 - 0.675h) + 400) / 1e6
const smallCached = (h: number) => (2400 - 1350 * h) / 1e6;
// w:big: 0.5 x 10 + 0.5h x 1 + 0.5(1-h) x 12.5 = 11.25 - 5.75h -> (2000(11.25 - 5.75h) + 8000) / 1e6
const bigCached = (h: number) => (30500 - 11500 * h) / 1e6;

// ---- Step 4: arrival rates and P(hit) = 1 - exp(-rate x share x TTL) ---------------------------------
const chatRate = 1 / 600; // per second
const digestRate = 73_000 / (730 * 3600); // even spread over 730 h: 1/36 per second
const hit = (rate: number, share: number) => 1 - Math.exp(-rate * share * 300);
// chat at full traffic: 1 - e^-0.5 = 0.393469; digest: 1 - e^-8.33 = 0.999760

// ---- Step 5: baseline = always:w:big at list price, per-feature measured cost x (list / measured) -----
const bigListFactor = bigList / bigMeasured; // 28 / 19
const baseline = 146_000 * 0.02 * bigListFactor + 73_000 * 0.018 * bigListFactor;
const BASELINE = 6239.578947; // hand: 2920 x 28/19 + 1314 x 28/19 = 4234 x 1.473684

// ---- Step 6: the "mix" policy (60% w:small, 40% w:big, $8 per 1K measured, p90 0.02, p99 0.028) ------
// cost weights: small 0.6 x 0.00105 = 0.00063, big 0.4 x 0.019 = 0.0076 -> 0.0765492 / 0.9234508
const wSmall = (0.6 * 0.00105) / (0.6 * 0.00105 + 0.4 * 0.019);
const wBig = 1 - wSmall;
// Per feature factor under caching + batch: each model's cache rate is thinned by its share.
const chatCB =
  wSmall * (smallCached(hit(chatRate, 0.6)) / smallMeasured) + wBig * (bigCached(hit(chatRate, 0.4)) / bigMeasured);
const digestCB =
  (wSmall * (smallCached(hit(digestRate, 0.6)) / smallMeasured) +
    wBig * (bigCached(hit(digestRate, 0.4)) / bigMeasured)) *
  (0.5 + 0.5 * 0.5); // half the digest requests at the batch price
const mixCB = 146_000 * 0.008 * chatCB + 73_000 * 0.008 * digestCB;
const MIX_CB = 2234.677563;
const mixCBFactor = mixCB / (219_000 * 0.008); // the p90/p99 scale

const mixList = 219_000 * 0.008 * (wSmall * (smallList / smallMeasured) + wBig * bigListFactor);
const MIX_LIST = 2690.799514;

// ---- Step 7: self-hosting w:small on 2 GPUs x $2/h, 1000 out tok/s, 20000 prefill tok/s, 50% used ---
// busy seconds per request = 100 / 1000 + 2000 / 20000 = 0.2; one deployment = $4/h, floor 730 h = $2920
const busyPerRequest = 100 / 1000 + 2000 / 20_000;
const mixGpuHours = (219_000 * 0.6 * busyPerRequest) / 3600; // 7.3 h: far below the floor
const mixGpu = 4 * Math.max(730, mixGpuHours / 0.5); // 2920
// Every lever at once for mix: w:big's part under caching + batch, w:small's part on the GPUs. The
// GPUs' monthly floor ($2920) outweighs the API share they replace, so for mix this is dearer than
// caching + batch alone, and "all levers" (the cheapest combination) leaves self-hosting out.
const mixAllApi =
  146_000 * 0.008 * wBig * (bigCached(hit(chatRate, 0.4)) / bigMeasured) +
  73_000 * 0.008 * wBig * (bigCached(hit(digestRate, 0.4)) / bigMeasured) * 0.75;
const mixAll = mixAllApi + mixGpu;
const MIX_ALL = 4946.288281;

// Self-hosting section: all traffic on w:small, API at caching + batch.
const smallApi =
  146_000 * 0.00105 * (smallCached(hit(chatRate, 1)) / smallMeasured) +
  73_000 * 0.00105 * (smallCached(hit(digestRate, 1)) / smallMeasured) * 0.75;
const SMALL_API = 330.352459;
const busy = (219_000 * busyPerRequest) / 3600; // 12.1667 h
const breakEvenUtilisation = (busy * 4) / smallApi; // 0.147317
const apiPerRequest = smallApi / 219_000;
const breakEvenVolume = (730 * 4) / apiPerRequest; // 1,935,751 requests/month

// ---- Step 8: fine-tune: $0.002 per request, $5000 training over 10 months --------------------------
const baselinePerRequest = baseline / 219_000; // 0.0284912
// Training $5000 spread over 10 months adds $500 to each month; V x 0.002 + 500 = V x baseline mean.
const ftBreakEven = 500 / (baselinePerRequest - 0.002); // 18,874 requests/month
const ftMonthly = 219_000 * 0.002 + 5000 / 10; // 938

describe("planner worked example (hand-computed)", () => {
  const plan = buildPlan(workedSummary(), parseTrafficProfile(workedTraffic, "worked.json"), workedPrices);
  const proj = (policy: string, lever: Lever) => {
    const p = plan.policies.find((x) => x.id === policy)?.projections.find((x) => x.lever === lever);
    if (!p) throw new Error(`no projection ${policy} ${lever}`);
    return p;
  };

  it("hand calculation agrees with its own literals", () => {
    expect(smallMeasured).toBeCloseTo(0.00105, 12);
    expect(bigMeasured).toBeCloseTo(0.019, 12);
    expect(baseline).toBeCloseTo(BASELINE, 5);
    expect(mixCB).toBeCloseTo(MIX_CB, 5);
    expect(mixList).toBeCloseTo(MIX_LIST, 5);
    expect(mixAll).toBeCloseTo(MIX_ALL, 5);
    expect(smallApi).toBeCloseTo(SMALL_API, 5);
  });

  it("cache hit rates per feature follow 1 - exp(-rate x TTL)", () => {
    expect(plan.features.map((f) => f.cacheHit)).toEqual([
      expect.closeTo(0.3934693403, 9),
      expect.closeTo(0.9997596305, 9),
    ]);
  });

  it("baseline: always-flagship at list price, real time", () => {
    expect(plan.baseline?.id).toBe("always:w:big");
    expect(plan.reference).toEqual(plan.baseline);
    expect(plan.baseline?.monthlyUsd).toBeCloseTo(BASELINE, 5);
    expect(proj("always:w:big", "list").savingVsBaseline).toBeCloseTo(0, 12);
  });

  it("mix policy under list, caching + batch and all levers: monthly, mean, p90, p99", () => {
    expect(proj("mix", "list").monthlyUsd).toBeCloseTo(MIX_LIST, 5);
    const cb = proj("mix", "caching+batch");
    expect(cb.monthlyUsd).toBeCloseTo(MIX_CB, 5);
    expect(cb.meanUsd).toBeCloseTo(MIX_CB / 219_000, 10);
    expect(cb.p90Usd).toBeCloseTo(0.02 * mixCBFactor, 10); // 0.0255100
    expect(cb.p99Usd).toBeCloseTo(0.028 * mixCBFactor, 10); // 0.0357140
    expect(cb.savingVsBaseline).toBeCloseTo(1 - MIX_CB / BASELINE, 9); // 64.19%
    const everyLever = projectCombination(
      planContext(workedSummary(), parseTrafficProfile(workedTraffic, "worked.json"), workedPrices),
      workedSummary().routers.find((r) => r.id === "mix")!,
      "caching+batch",
      true,
    );
    expect(everyLever.monthlyUsd).toBeCloseTo(MIX_ALL, 5);
    expect(everyLever.p90Usd).toBeCloseTo(0.02 * (mixAllApi / (219_000 * 0.008)) + mixGpu / 219_000, 10);
    expect(proj("always:w:small", "list").p99Usd).toBeNull();
  });

  it("all levers is the cheapest combination: self-hosting is left out where it makes the bill higher", () => {
    expect(MIX_ALL).toBeGreaterThan(MIX_CB);
    const all = proj("mix", "all");
    expect(all.monthlyUsd).toBeCloseTo(MIX_CB, 5);
    expect(all.combination).toEqual(["caching", "batch"]);
    for (const p of plan.policies) {
      const cheapest = Math.min(...p.projections.filter((x) => x.lever !== "all").map((x) => x.monthlyUsd));
      const allLevers = p.projections.find((x) => x.lever === "all")!;
      // Never dearer than a single lever; strictly cheaper than or equal to every one of them.
      expect(allLevers.monthlyUsd).toBeLessThanOrEqual(cheapest + 1e-9);
    }
    // The plan says so: the combination in the cell, and why self-hosting is missing from it.
    const md = renderPlanMarkdown(plan, 2);
    const row = md.split("\n").find((l) => l.startsWith("| mix |"))!;
    expect(row.split(" | ").at(-1)).toBe("\\$2,235 (64.2%): caching + batch |");
    expect(md).toMatch(/Self-hosting makes the bill higher for <code>[^\n]*mix<\/code>/);
  });

  it("all levers takes self-hosting in where it pays: 1000x the volume puts w:small on the GPUs", () => {
    const busier = {
      ...workedTraffic,
      features: workedTraffic.features.map((f) => ({ ...f, requestsPerMonth: f.requestsPerMonth * 1000 })),
    };
    const big = buildPlan(workedSummary(), parseTrafficProfile(busier, "busier.json"), workedPrices);
    const small = big.policies.find((p) => p.id === "always:w:small")!;
    const all = small.projections.find((x) => x.lever === "all")!;
    expect(all.combination).toContain("self-hosting");
    // 1000x: 12,166.7 busy h / 0.5 = 24,333.3 paid h x $4 = $97,333.33, every request on the GPUs
    // (about $330,000 at caching + batch).
    expect(all.monthlyUsd).toBeCloseTo(97_333.3333, 3);
    expect(small.projections.find((x) => x.lever === "caching+batch")!.monthlyUsd).toBeGreaterThan(300_000);
  });

  it("self-hosting: GPU bill, break-even utilisation and volume, sensitivity", () => {
    const sh = plan.selfHosting!;
    expect(sh.apiMonthlyUsd).toBeCloseTo(SMALL_API, 5);
    expect(sh.gpuMonthlyUsd).toBeCloseTo(2920, 9);
    expect(sh.busyHours).toBeCloseTo(12.1666667, 6);
    expect(sh.breakEvenUtilisation).toBeCloseTo(breakEvenUtilisation, 9);
    expect(sh.breakEvenUtilisation).toBeCloseTo(0.147317, 5);
    expect(sh.breakEvenRequestsPerMonth).toBeCloseTo(breakEvenVolume, 3);
    expect(sh.breakEvenRequestsPerMonth).toBeCloseTo(1_935_750.687, 2);
    // 1000x volume at 25%: 12,166.7 busy h / 0.25 = 48,666.7 paid h x $4 = $194,666.67 vs $330,352.46
    const cell = sh.sensitivity.find((r) => r[0]?.volumeMultiplier === 1000)?.find((c) => c.utilisation === 0.25);
    expect(cell?.gpuMonthlyUsd).toBeCloseTo(194_666.6667, 3);
    expect(cell?.saving).toBeCloseTo(1 - 194_666.6667 / (SMALL_API * 1000), 6); // 41.07%
    expect(sh.sensitivity[1]?.every((c) => Math.abs(c.gpuMonthlyUsd - 2920) < 1e-9)).toBe(true);
  });

  it("fine-tune: break-even volume = monthly training share / saving per request", () => {
    const ft = plan.fineTune!;
    const vsBaseline = ft.versus.find((v) => v.policy === "always:w:big")!;
    expect(vsBaseline.breakEvenRequestsPerMonth).toBeCloseTo(ftBreakEven, 3);
    expect(vsBaseline.breakEvenRequestsPerMonth).toBeCloseTo(18_874.17219, 4);
    expect(ft.trainingMonthlyUsd).toBe(500);
    expect(ft.trainingCostSource).toBe("profile");
    expect(ft.monthlyUsd).toBeCloseTo(ftMonthly, 9);
    // vs always:w:small: its list mean is 0.0024 (0.00105 x 2400/1050), saving 0.0004 -> 500 / 0.0004
    expect(ft.versus.find((v) => v.policy === "always:w:small")?.breakEvenRequestsPerMonth).toBeCloseTo(1_250_000, 2);
  });
});

describe("planner notes", () => {
  it("names profile entries the eval lacks instead of pricing them at zero", () => {
    const traffic = {
      features: [{ name: "elsewhere", requestsPerMonth: 1000 }],
      selfHosting: { replaces: "w:none", gpuHourUsd: 2, gpus: 1, outputTokensPerSec: 100, utilisation: 0.5 },
      fineTune: { candidate: "w:none", trainingCostUsd: 10 },
    };
    const plan = buildPlan(workedSummary(), parseTrafficProfile(traffic, "t.json"), workedPrices);
    expect(plan.selfHosting).toBeNull();
    expect(plan.fineTune).toBeNull();
    expect(plan.policies[0]?.projections.map((p) => p.lever)).toEqual(["list", "caching", "batch", "caching+batch"]);
    expect(plan.notes.join("\n")).toMatch(/Feature "elsewhere" is not in the eval/);
    expect(plan.notes.join("\n")).toMatch(/selfHosting.replaces "w:none"/);
    expect(plan.notes.join("\n")).toMatch(/fine-tune section is left out/);
  });
});
