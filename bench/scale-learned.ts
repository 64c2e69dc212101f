import { loadavg } from "node:os";
import type { Item, ModelId } from "../src/core/types.ts";
import { learnedRouter } from "../src/routing/learn/learned-router.ts";
import type { FitExample, RouterContext } from "../src/routing/router.ts";
import { pairedBootstrapDiffInterval } from "../src/stats/bootstrap.ts";
import { createRng } from "../src/stats/random.ts";
import { scaleRecords } from "./scale/generate.ts";

// The scale-learned entry of `npm run bench`: in-process, on the scale bench's seeded synthetic
// items (2 models, exact-match scores), at each size (ROUTEGATE_BENCH_LEARNED="N1,N2,...",
// default 50000,100000,200000):
// - the learned router (logistic regression, the default learned family) end to end with every
//   item a calibration item: its score step (features), `fit` (penalty choice, cross-fit), and a
//   decision for every item;
// - the gate's paired percentile bootstrap (B = 10,000) of the two models' scores, and, as the
//   baseline it replaced, the plain loop reading the sample straight from a Float64Array (B = 1,000
//   to keep the run short; compare nanoseconds per draw).
// CPU seconds (user + system of this process) per step, and the time exponent between sizes: the
// goal is linear time, exponent <= 1.1. The process's peak RSS after each size: the features of
// every item are held through the fit, as in an eval.

const B = 10_000;
const BASELINE_B = 1_000;

function cpuSeconds<T>(f: () => T): [T, number] {
  const start = process.cpuUsage();
  const value = f();
  const used = process.cpuUsage(start);
  return [value, (used.user + used.system) / 1e6];
}

async function cpuSecondsAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = process.cpuUsage();
  const value = await f();
  const used = process.cpuUsage(start);
  return [value, (used.user + used.system) / 1e6];
}

/** The bootstrap's draws as they were: every resampled score read from the full Float64Array. */
function directReadDraws(values: Float64Array, resamples: number): number {
  const rng = createRng("baseline");
  const n = values.length;
  let total = 0;
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += values[Math.floor(rng() * n)]!;
    total += sum / n;
  }
  return total;
}

interface LearnedSize {
  items: number;
  load: number;
  scoreCpuS: number;
  fitCpuS: number;
  decideCpuS: number;
  learnedCpuS: number;
  l2: number;
  strongShare: number;
  bootstrapCpuS: number;
  bootstrapNsPerDraw: number;
  directReadNsPerDraw: number;
  interval: { delta: number; lower: number; upper: number };
  /** The process's peak RSS so far (sizes run in ascending order, so: at this size at most). */
  peakRssMb: number;
}

async function measure(items: number): Promise<LearnedSize> {
  const load = loadavg()[0]!;
  const [weak, strong] = ["gpt-4.1-nano", "gpt-4o-mini"] as ModelId[];
  const router = learnedRouter({ weak: weak!, strong: strong! });
  const records = [...scaleRecords({ items, models: 2 })];
  const ctx = {} as RouterContext; // the plain learned router's score step reads only the item
  const [scores, scoreCpuS] = await cpuSecondsAsync(async () => {
    const out = [];
    for (const r of records) out.push(await router.score(r.item as Item, ctx));
    return out;
  });
  const quality = records.map((r) => r.outcomes.map((o) => (o.output === r.item.expected ? 1 : 0)));
  const examples: FitExample<(typeof scores)[number]>[] = records.map((r, i) => ({
    item: r.item as Item,
    scores: scores[i]!,
    outcomes: [
      { model: weak!, score: quality[i]![0]!, costUsd: 0 },
      { model: strong!, score: quality[i]![1]!, costUsd: 0 },
    ],
  }));
  const [fitted, fitCpuS] = cpuSeconds(() => router.fit!(examples, router.params));
  const params = { ...router.params, ...fitted } as typeof router.params;
  const [strongShare, decideCpuS] = cpuSeconds(() => {
    const out = new Int32Array(items);
    router.decideBatch!(scores, params, (m) => (m === strong ? 1 : 0), out);
    return out.reduce((s, v) => s + v, 0) / items;
  });
  const weakScores = Float64Array.from(quality, (q) => q[0]!);
  const strongScores = Float64Array.from(quality, (q) => q[1]!);
  const [interval, bootstrapCpuS] = cpuSeconds(() =>
    pairedBootstrapDiffInterval(weakScores, strongScores, { B, seed: "scale-learned" }),
  );
  const diff = strongScores.map((s, i) => s - weakScores[i]!);
  const [, directCpuS] = cpuSeconds(() => directReadDraws(diff, BASELINE_B));
  return {
    items,
    load,
    scoreCpuS,
    fitCpuS,
    decideCpuS,
    learnedCpuS: scoreCpuS + fitCpuS + decideCpuS,
    l2: fitted.l2 as number,
    strongShare,
    bootstrapCpuS,
    bootstrapNsPerDraw: (bootstrapCpuS * 1e9) / (B * items),
    directReadNsPerDraw: (directCpuS * 1e9) / (BASELINE_B * items),
    interval,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const exponent = (a: number, b: number, na: number, nb: number) => Math.log(b / a) / Math.log(nb / na);

export async function benchScaleLearned() {
  const sizes = (process.env["ROUTEGATE_BENCH_LEARNED"] ?? "50000,100000,200000").split(",").map(Number);
  const measured: LearnedSize[] = [];
  for (const n of sizes) {
    const figures = await measure(n);
    measured.push(figures);
    console.error(`scale-learned: ${JSON.stringify(figures)}`);
  }
  const [small, large] = [measured[0]!, measured[measured.length - 1]!];
  const steps = measured.slice(1).map((m, i) => ({
    from: measured[i]!.items,
    to: m.items,
    learned: exponent(measured[i]!.learnedCpuS, m.learnedCpuS, measured[i]!.items, m.items),
    bootstrap: exponent(measured[i]!.bootstrapCpuS, m.bootstrapCpuS, measured[i]!.items, m.items),
  }));
  return {
    note: "in-process CPU seconds on a shared machine; every figure carries the 1-minute load average",
    sizes: measured,
    learnedTimeExponent: exponent(small.learnedCpuS, large.learnedCpuS, small.items, large.items),
    bootstrapTimeExponent: exponent(small.bootstrapCpuS, large.bootstrapCpuS, small.items, large.items),
    directReadExponent: exponent(
      small.directReadNsPerDraw * small.items,
      large.directReadNsPerDraw * large.items,
      small.items,
      large.items,
    ),
    steps,
    goals: { timeExponentAtMost: 1.1 },
  };
}

if (process.argv[1]?.endsWith("scale-learned.ts")) console.log(JSON.stringify(await benchScaleLearned()));
