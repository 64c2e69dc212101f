import { benchSweep } from "./sweep.ts";

// `npm run bench [-- --json]`: ratios against baselines measured in the same run, never absolute
// timings (machines here are small and noisy). With --json the last line is one JSON object.
const json = process.argv.includes("--json");
const sweep = await benchSweep();
console.log(
  `sweep: ${sweep.items} items x ${sweep.thresholds} thresholds: engine ${(sweep.decisionsPerSec / 1e6).toFixed(2)}M decisions/s, plain loop ${(sweep.plainLoopPerSec / 1e6).toFixed(2)}M/s, ratio ${sweep.ratio.toFixed(3)}`,
);
if (json) console.log(JSON.stringify({ sweep }));
