import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GSM8K_ATTRIBUTION } from "../devkit/importers/gsm8k.ts";
import { TEXTCLASS_ATTRIBUTION } from "../devkit/importers/textclass.ts";
import { benchGsm8k } from "./routing-gsm8k.ts";
import { benchTextClassTask } from "./routing-textclass.ts";
import { meanSd, type Spread } from "./spread.ts";
import { benchSweep } from "./sweep.ts";

// `npm run bench:routing [-- --json] [-- --seeds N]`: routing on real recorded outcomes, read in
// place from ../shared/data, every figure on held-out items, every choice made on calibration
// items. The rules are fixed first; the figures are then reported at the default split seed
// ("routegate") and as mean +- SD over it and N more seeds ("routegate-1".."routegate-N", default 5):
// a goal counts on the mean. With --json the last line is one JSON object {"routing": ...}.
const json = process.argv.includes("--json");
const seedsArg = process.argv.indexOf("--seeds");
const extraSeeds = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 5;
const seeds = ["routegate", ...Array.from({ length: extraSeeds }, (_, i) => `routegate-${i + 1}`)];
const data = (sub: string) => fileURLToPath(new URL(`../../shared/data/${sub}`, import.meta.url));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? "n/a" : `${(100 * x).toFixed(1)}%`);
const f = (x: number | null | undefined, d = 4) => (x === null || x === undefined ? "n/a" : x.toFixed(d));
const pm = (s: Spread, d = 4) => `${f(s.mean, d)} +- ${f(s.sd, d)}`;
const started = performance.now();
// One outcome store for every seed: the recorded answers are read and priced once.
const scratch = mkdtempSync(join(tmpdir(), "routegate-bench-"));
const storePath = join(scratch, "outcomes.sqlite");

const gsm8kRuns = [];
for (const seed of seeds) gsm8kRuns.push(await benchGsm8k(data("routellm_gsm8k"), { seed, storePath }));
const gsm8k = gsm8kRuns[0]!;
console.log(
  `GSM8K (${gsm8k.items} uncontaminated items, ${gsm8k.heldOut} held out at seed routegate): qW ${f(gsm8k.qW)}, qS ${f(gsm8k.qS)}; our scorer agrees with RouteLLM's flags on ${gsm8k.scorerAgreesWithRouteLLM.agree}/${gsm8k.scorerAgreesWithRouteLLM.of}`,
);
const gsm8kSeeds: Record<string, { apgr: Spread; savingAt95: Spread; reaches95: number; cpt80: Spread }> = {};
for (const p of gsm8k.policies) {
  const across = gsm8kRuns.map((run) => run.policies.find((x) => x.id === p.id)!);
  gsm8kSeeds[p.id] = {
    apgr: meanSd(across.map((x) => x.apgr)),
    cpt80: meanSd(across.map((x) => x.cpt80)),
    savingAt95: meanSd(across.map((x) => x.savingAt95)),
    reaches95: across.filter((x) => x.reaches95).length / across.length,
  };
  const s = gsm8kSeeds[p.id]!;
  console.log(
    `  ${p.id.padEnd(18)} APGR ${f(p.apgr)}  CPT50/80/95 ${f(p.cpt50, 3)}/${f(p.cpt80, 3)}/${f(p.cpt95, 3)}  at the calibrated 95% point: quality ${f(p.quality)} (${p.reaches95 ? "reaches" : "misses"} 0.95 qS), strong ${pct(p.strongShare)}, saving ${pct(p.savingAt95)}`,
  );
  console.log(
    `  ${"".padEnd(18)} over ${seeds.length} seeds: APGR ${pm(s.apgr)}, saving ${pm(s.savingAt95, 3)}, reaches 0.95 qS on ${pct(s.reaches95)} of seeds`,
  );
}

const tasks = ["toxicity_en", "policy_topic_en", "sust_finance_en", "technology_en"];
const textclass: Record<string, Awaited<ReturnType<typeof benchTextClassTask>> & { seeds?: unknown }> = {};
for (const task of tasks) {
  const runs = [];
  for (const seed of seeds) runs.push(await benchTextClassTask(data("textclass"), task, { seed, storePath }));
  const t = runs[0]!;
  const across = {
    delta: meanSd(runs.map((r) => r.chosenFigures.vsBest.delta)),
    lower: meanSd(runs.map((r) => r.chosenFigures.vsBest.lower)),
    costRatio: meanSd(runs.map((r) => r.chosenFigures.costRatio)),
    aiqPolicies: meanSd(runs.map((r) => r.aiq.policies)),
    aiqModels: meanSd(runs.map((r) => r.aiq.models)),
    knnLower: meanSd(runs.map((r) => r.knn?.vsBest.lower ?? null)),
    knnCostRatio: meanSd(runs.map((r) => r.knn?.costRatio ?? null)),
    metShare: runs.filter((r) => r.goals.met).length / runs.length,
    chosen: runs.map((r) => `${r.seed}: ${r.chosen}`),
  };
  const goalsOnMean = {
    nonInferior: (across.lower.mean ?? -1) > -0.01,
    notDearer: (across.costRatio.mean ?? 2) <= 1,
    cheaper: (across.costRatio.mean ?? 2) < 1,
    aiqAboveSingles: (across.aiqPolicies.mean ?? 0) > (across.aiqModels.mean ?? 0),
  };
  textclass[task] = { ...t, seeds: { ...across, goalsOnMean } };
  console.log(
    `TextClass ${task} (${t.items} items, ${t.heldOut} held out at seed routegate): best single on calibration ${t.bestSingle.id} (held-out ${f(t.bestSingle.quality)}, $${f(t.bestSingle.costPer1k, 4)}/1K); AIQ policies ${f(t.aiq.policies)} vs singles ${f(t.aiq.models)}`,
  );
  for (const p of t.policies) {
    console.log(
      `  ${p.id === t.chosen ? "*" : " "} ${p.id.padEnd(22)} quality ${f(p.quality)}  cost x${f(p.costRatio, 3)} of best  vs best: delta ${f(p.vsBest.delta)} lower ${f(p.vsBest.lower)} ${p.vsBest.nonInferior ? "non-inferior" : "not shown non-inferior"}${p.vsGpt4o ? `  vs gpt-4o: delta ${f(p.vsGpt4o.delta)} lower ${f(p.vsGpt4o.lower)} cost x${f(p.vsGpt4o.costRatio, 3)}` : ""}`,
    );
  }
  console.log(`    recommended: ${t.chosen} (${t.chosenRule})`);
  console.log(
    `    goals at seed routegate: ${JSON.stringify(t.goals)}${t.flags.length ? `; flags: ${t.flags.join("; ")}` : ""}`,
  );
  console.log(
    `    over ${seeds.length} seeds, the recommended policy: delta ${pm(across.delta)}, lower ${pm(across.lower)}, cost x${pm(across.costRatio, 3)} of best; goal met on ${pct(across.metShare)} of seeds; AIQ policies ${pm(across.aiqPolicies)} vs singles ${pm(across.aiqModels)}; knn lower ${pm(across.knnLower)} at cost x${pm(across.knnCostRatio, 3)}; on the mean: ${JSON.stringify(goalsOnMean)}`,
  );
  console.log(`    recommended per seed: ${across.chosen.join(", ")}`);
}
rmSync(scratch, { recursive: true, force: true });

const sweep = await benchSweep();
console.log(`sweep: ${sweep.items} items x ${sweep.thresholds} thresholds, ratio to a plain loop ${f(sweep.ratio, 3)}`);
console.log(`Data: ${GSM8K_ATTRIBUTION} ${TEXTCLASS_ATTRIBUTION}`);
console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);

if (json) {
  const lead = gsm8k.policies.find((p) => p.id === gsm8k.headline)!;
  console.log(
    JSON.stringify({
      routing: {
        seeds,
        gsm8k: {
          policy: lead.id,
          apgr: lead.apgr,
          cpt50: lead.cpt50,
          cpt80: lead.cpt80,
          cpt95: lead.cpt95,
          savingAt95: lead.savingAt95,
          qualityAt95: lead.quality,
          reaches95: lead.reaches95,
          policies: gsm8k.policies,
          knn: gsm8k.policies.find((p) => p.id === "knn") ?? null,
          seeds: gsm8kSeeds,
        },
        textclass,
        sweep: { ratio: sweep.ratio, decisionsPerSec: sweep.decisionsPerSec, plainLoopPerSec: sweep.plainLoopPerSec },
      },
    }),
  );
}
