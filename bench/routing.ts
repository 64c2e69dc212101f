import { fileURLToPath } from "node:url";
import { GSM8K_ATTRIBUTION } from "../devkit/importers/gsm8k.ts";
import { TEXTCLASS_ATTRIBUTION } from "../devkit/importers/textclass.ts";
import { benchGsm8k } from "./routing-gsm8k.ts";
import { benchTextClassTask } from "./routing-textclass.ts";
import { benchSweep } from "./sweep.ts";

// `npm run bench:routing [-- --json]`: routing on real recorded outcomes, read in place from
// ../shared/data, every figure on held-out items (METRICS.md section 5, seed "routegate"), every
// choice made on calibration items. With --json the last line is one JSON object {"routing": ...}.
const json = process.argv.includes("--json");
const data = (sub: string) => fileURLToPath(new URL(`../../shared/data/${sub}`, import.meta.url));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? "n/a" : `${(100 * x).toFixed(1)}%`);
const f = (x: number | null | undefined, d = 4) => (x === null || x === undefined ? "n/a" : x.toFixed(d));
const started = performance.now();

const gsm8k = await benchGsm8k(data("routellm_gsm8k"));
console.log(
  `GSM8K (${gsm8k.items} uncontaminated items, ${gsm8k.heldOut} held out): qW ${f(gsm8k.qW)}, qS ${f(gsm8k.qS)}; our scorer agrees with RouteLLM's flags on ${gsm8k.scorerAgreesWithRouteLLM.agree}/${gsm8k.scorerAgreesWithRouteLLM.of}`,
);
for (const p of gsm8k.policies) {
  console.log(
    `  ${p.id.padEnd(18)} APGR ${f(p.apgr)}  CPT50/80/95 ${f(p.cpt50, 3)}/${f(p.cpt80, 3)}/${f(p.cpt95, 3)}  at the calibrated 95% point: quality ${f(p.quality)} (${p.reaches95 ? "reaches" : "misses"} 0.95 qS), strong ${pct(p.strongShare)}, saving ${pct(p.savingAt95)}`,
  );
}

const tasks = ["toxicity_en", "policy_topic_en", "sust_finance_en", "technology_en"];
const textclass: Record<string, Awaited<ReturnType<typeof benchTextClassTask>>> = {};
for (const task of tasks) {
  const t = await benchTextClassTask(data("textclass"), task);
  textclass[task] = t;
  console.log(
    `TextClass ${task} (${t.items} items, ${t.heldOut} held out): best single on calibration ${t.bestSingle.id} (held-out ${f(t.bestSingle.quality)}, $${f(t.bestSingle.costPer1k, 4)}/1K); AIQ policies ${f(t.aiq.routers)} vs singles ${f(t.aiq.models)}`,
  );
  for (const p of t.policies) {
    console.log(
      `  ${p.id === t.chosen ? "*" : " "} ${p.id.padEnd(22)} quality ${f(p.quality)}  cost x${f(p.costRatio, 3)} of best  vs best: delta ${f(p.vsBest.delta)} lower ${f(p.vsBest.lower)} ${p.vsBest.nonInferior ? "non-inferior" : "not shown non-inferior"}${p.vsGpt4o ? `  vs gpt-4o: delta ${f(p.vsGpt4o.delta)} lower ${f(p.vsGpt4o.lower)} cost x${f(p.vsGpt4o.costRatio, 3)}` : ""}`,
    );
  }
  console.log(`    goals: ${JSON.stringify(t.goals)}${t.flags.length ? `; flags: ${t.flags.join("; ")}` : ""}`);
}

const sweep = await benchSweep();
console.log(`sweep: ${sweep.items} items x ${sweep.thresholds} thresholds, ratio to a plain loop ${f(sweep.ratio, 3)}`);
console.log(`Data: ${GSM8K_ATTRIBUTION} ${TEXTCLASS_ATTRIBUTION}`);
console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);

if (json) {
  const lead = gsm8k.policies.find((p) => p.id === gsm8k.headline)!;
  console.log(
    JSON.stringify({
      routing: {
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
        },
        textclass,
        sweep: { ratio: sweep.ratio, decisionsPerSec: sweep.decisionsPerSec, plainLoopPerSec: sweep.plainLoopPerSec },
      },
    }),
  );
}
