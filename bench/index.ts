import { benchCollect } from "./collect.ts";
import { benchGate } from "./gate.ts";
import { benchScale } from "./scale.ts";
import { benchScaleLearned } from "./scale-learned.ts";
import { benchServe, printServe } from "./serve.ts";
import { benchSweep } from "./sweep.ts";

// `npm run bench [-- --json]`: ratios against baselines measured in the same run, never absolute
// timings (machines here are small and noisy). With --json the last line is one JSON object.
const json = process.argv.includes("--json");
const fmt = (x: number, d = 3) => x.toFixed(d);

const sweep = await benchSweep();
console.log(
  `sweep: ${sweep.items} items x ${sweep.thresholds} thresholds: engine ${fmt(sweep.decisionsPerSec / 1e6, 2)}M decisions/s, plain loop ${fmt(sweep.plainLoopPerSec / 1e6, 2)}M/s, ratio ${fmt(sweep.ratio)}`,
);

const collect = await benchCollect();
console.log(
  `collect: ${collect.items} calls at concurrency ${collect.concurrency} against the local fake server: routegate ${fmt(collect.routegatePerSec, 0)}/s, raw openai SDK + p-limit ${fmt(collect.rawSdkPerSec, 0)}/s, ratio ${fmt(collect.ratio)} (goal >= 0.9); peak RSS ${fmt(collect.peakRssMb, 0)} MB, heap ${fmt(collect.peakHeapMb, 0)} MB for ${collect.memoryItems} outcomes`,
);

const gate = await benchGate();
for (const [name, g] of Object.entries(gate.evals)) {
  console.log(
    `gate ${name}: ${g.items} items, maxDrop ${g.maxDrop}, discordance ${fmt(g.discordance)}: falsePassRate ${fmt(g.falsePassRate, 4)} (+-${fmt(g.falsePassSe, 4)}), falseBlockRate ${fmt(g.falseBlockRate)}, itemsFor80Power ${g.itemsFor80Power ?? "> 64000"}`,
  );
}
const serve = await benchServe();
printServe(serve);
const scale = await benchScale();
const last = scale.sizes[scale.sizes.length - 1]!;
console.log(
  `scale: ${scale.sizes.map((s) => `${s.items}x${s.models} first ${fmt(s.firstSeconds, 1)} s, repeat ${fmt(s.repeatSeconds, 1)} s, peak RSS ${fmt(s.firstPeakRssMb, 0)} MB`).join("; ")}; time exponent ${fmt(scale.timeExponent, 2)} (goal <= 1.1), first/repeat ${fmt(last.firstOverRepeat, 2)} (goal <= 2), --help/node ${fmt(scale.helpOverNode, 1)} (goal <= 3), 5-item eval/--help ${fmt(scale.tinyEvalOverHelp, 2)} (goal <= 3), numpy ${"ratio" in scale.numpy ? `${fmt(scale.numpy["ratio"] as number, 2)} (goal <= 2, figures agree: ${scale.numpy["figuresAgree"]})` : scale.numpy["skipped"]}`,
);
const scaleLearned = await benchScaleLearned();
console.log(
  `scale-learned: ${scaleLearned.sizes.map((s) => `${s.items} items: learned ${fmt(s.learnedCpuS, 1)} s CPU (fit ${fmt(s.fitCpuS, 1)} s), bootstrap ${fmt(s.bootstrapCpuS, 1)} s CPU (${fmt(s.bootstrapNsPerDraw, 1)} ns/draw, direct read ${fmt(s.directReadNsPerDraw, 1)})`).join("; ")}; time exponents: learned ${fmt(scaleLearned.learnedTimeExponent, 2)}, bootstrap ${fmt(scaleLearned.bootstrapTimeExponent, 2)}, direct-read bootstrap ${fmt(scaleLearned.directReadExponent, 2)} (goal <= 1.1)`,
);
if (json) console.log(JSON.stringify({ sweep, collect, gate, serve, scale, scaleLearned }));
