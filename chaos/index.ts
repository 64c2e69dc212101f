import { killAll } from "./cli-run.ts";
import { FAULTS } from "./fault-server.ts";
import { plantedKeys } from "./secrets.ts";
import { budgetTrial, concurrentTrial, faultTrial, killTrial, type SuiteContext, type TrialResult } from "./trials.ts";

// `npm run chaos [-- --json] [-- --short]`: routegate's CLI under SIGKILLs, concurrent processes on
// one store, every fault mode of the local fake server and budget caps with faults. Bounded: it
// starts no trial after 140 s and stops itself at 178 s (--short: all 4 of its trials run, and it
// stops itself at 120 s; about 20 s on an idle machine), each process is killed after 60 s (a hang
// counts as a crash), and the fake servers refuse requests past 5,000 in all. Everything runs on 127.0.0.1 with planted keys.
// The last line printed is one JSON object; every figure in it but `trials` must be 0.

const json = process.argv.includes("--json");
const short = process.argv.includes("--short");
const REQUEST_LIMIT = 5000;
const started = Date.now();
// No trial starts after `startBy`; at `hardStop` every process still running is killed and the
// suite reports what it has (and fails).
const startBy = short ? Number.POSITIVE_INFINITY : 140_000;
const hardStop = short ? 120_000 : 178_000;

const all = Object.fromEntries(FAULTS.map((f) => [f, 0.045])) as Record<(typeof FAULTS)[number], number>;
type Trial = (ctx: SuiteContext) => Promise<TrialResult>;
const plan: Trial[] = short
  ? [
      (c) => faultTrial(c, "every fault mode", all, 11),
      (c) => killTrial(c, 1),
      (c) => concurrentTrial(c, 2, 5),
      (c) => budgetTrial(c, 1.4, { "rate-limit": 0.1, truncated: 0.08, garbage: 0.05, hang: 0.03 }, 7),
    ]
  : [
      (c) => killTrial(c, 1),
      (c) =>
        faultTrial(c, "429 retry-after, 500, 529", { "rate-limit": 0.25, "server-500": 0.1, "overloaded-529": 0.1 }, 1),
      (c) => concurrentTrial(c, 3, 5),
      (c) =>
        budgetTrial(c, 1.4, { "rate-limit": 0.1, "server-500": 0.05, truncated: 0.08, garbage: 0.05, hang: 0.03 }, 6),
      (c) => killTrial(c, 2),
      (c) => faultTrial(c, "hang, slow drip", { hang: 0.12, drip: 0.15, "drip-past-deadline": 0.08 }, 2),
      (c) => budgetTrial(c, 2.5, { "rate-limit": 0.1, truncated: 0.05 }, 7),
      (c) => killTrial(c, 3),
      (c) => faultTrial(c, "truncated, garbage, huge body", { truncated: 0.2, garbage: 0.08, huge: 0.05 }, 3),
      (c) => killTrial(c, 4),
      (c) =>
        faultTrial(
          c,
          "error object in a 200, key echo",
          { "error-in-200": 0.15, "echo-4xx": 0.06, "echo-200-error": 0.06, "echo-200-answer": 0.06 },
          4,
        ),
    ];

const bound = { total: 0, limit: REQUEST_LIMIT };
const ctx: SuiteContext = { bound, keys: plantedKeys(), processLimitMs: 60_000 };
const results: TrialResult[] = [];
let skipped = 0;
let next = 0;
// Two trials side by side: much of a trial is waiting (latency, hangs, deadlines); more would
// compete for the CPU that starting each CLI process needs.
async function worker(): Promise<void> {
  while (next < plan.length) {
    const trial = plan[next++]!;
    if (Date.now() - started > startBy || bound.total >= REQUEST_LIMIT) {
      skipped++;
      continue;
    }
    const r = await trial(ctx);
    results.push(r);
    if (json) console.log(JSON.stringify(r));
    else
      console.log(
        `${r.name}: repeated ${r.callsRepeated}, lost ${r.outcomesLost}, overspend $${r.overspendUsd}, secrets ${r.secretsFound}, crashes ${r.crashes}; ${r.requests} requests; ${r.note}`,
      );
  }
}
let stopped = false;
const stop = new Promise<void>((resolve) =>
  setTimeout(() => {
    stopped = true;
    killAll();
    resolve();
  }, hardStop).unref(),
);
const workers = [worker(), worker()];
await Promise.race([Promise.all(workers), stop]);

const sum = (k: keyof Omit<TrialResult, "name" | "note">) => results.reduce((s, r) => s + r[k], 0);
const total = {
  trials: results.length,
  callsRepeated: sum("callsRepeated"),
  outcomesLost: sum("outcomesLost"),
  overspendUsd: sum("overspendUsd"),
  secretsFound: sum("secretsFound"),
  crashes: sum("crashes"),
};
console.error(
  `chaos: ${results.length} of ${plan.length} trials${skipped ? ` (${skipped} skipped: time or request bound)` : ""}${stopped ? ", stopped at the time bound" : ""}, ${bound.total} requests, ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(JSON.stringify(total));
const clean = total.callsRepeated + total.outcomesLost + total.overspendUsd + total.secretsFound + total.crashes === 0;
process.exitCode = clean && results.length === plan.length ? 0 : 1;
// Servers and timers of trials cut short by the time bound must not keep the process alive.
if (stopped) process.exit();
