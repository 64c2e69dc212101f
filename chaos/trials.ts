import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BUDGET_INPUT_FACTOR } from "../src/collect/worst-case.ts";
import { type CliResult, crashDetail, isCrash, startCli } from "./cli-run.ts";
import {
  type ChaosServer,
  type Fault,
  type RequestBound,
  startChaosServer,
  type TrialBooks,
  type TrialScript,
} from "./fault-server.ts";
import { secretsIn } from "./secrets.ts";
import { integrity, lostOutcomes, type StoredRow, StoreWatch, storedRows } from "./store-check.ts";

// The trials: real CLI processes against the chaos server, each ending with the checks the suite
// sums up (calls paid twice, outcomes lost, overspend, keys written anywhere, crashes).

export interface TrialResult {
  name: string;
  callsRepeated: number;
  outcomesLost: number;
  overspendUsd: number;
  secretsFound: number;
  crashes: number;
  requests: number;
  note: string;
}

export interface SuiteContext {
  bound: RequestBound;
  keys: Record<string, string>;
  /** Longest a single CLI process may run. */
  processLimitMs: number;
}

const MODELS = {
  openai: "openai:gpt-4o-mini",
  anthropic: "anthropic:claude-3-5-haiku-20241022",
  google: "google:gemini-2.0-flash",
};
const ALL = [MODELS.openai, MODELS.anthropic, MODELS.google];

interface Project {
  dir: string;
  store: string;
  dataset: string;
  expected: (models: string[]) => string[];
}

function project(items: number): Project {
  const dir = mkdtempSync(join(tmpdir(), "rg-chaos-"));
  const dataset = join(dir, "items.jsonl");
  const lines = Array.from({ length: items }, (_, i) =>
    JSON.stringify({ id: `q${i}`, input: `[item q${i}] What is ${i} plus ${i}?`, expected: "ok" }),
  );
  writeFileSync(dataset, `${lines.join("\n")}\n`);
  return {
    dir,
    store: join(dir, "outcomes.sqlite"),
    dataset,
    expected: (models) => models.flatMap((m) => Array.from({ length: items }, (_, i) => `${m} q${i}`)),
  };
}

/** A trial with its own chaos server, closed when it ends. */
interface TrialContext extends SuiteContext {
  server: ChaosServer;
}

async function withServer<T>(ctx: SuiteContext, run: (t: TrialContext) => Promise<T>): Promise<T> {
  const server = await startChaosServer(ctx.bound);
  try {
    return await run({ ...ctx, server });
  } finally {
    await server.close();
  }
}

function env(ctx: TrialContext, keys: Record<string, string> = ctx.keys): Record<string, string> {
  const { rootUrl, openaiBaseUrl } = ctx.server.fake;
  return {
    ...keys,
    OPENAI_BASE_URL: openaiBaseUrl,
    ANTHROPIC_BASE_URL: rootUrl,
    GOOGLE_GEMINI_BASE_URL: rootUrl,
  };
}

function evalArgs(p: Project, models: string[], extra: string[] = [], reports = "reports"): string[] {
  return [
    "eval",
    "--dataset",
    p.dataset,
    "--models",
    models.join(","),
    "--scorer",
    "exact",
    "--routers",
    "none",
    "--json",
    "--quiet",
    "--store",
    p.store,
    "--reports",
    join(p.dir, reports),
    "--timeout-ms",
    "1500",
    "--max-error-share",
    "1",
    ...extra,
  ];
}

/** The books of one CLI run under `script` (the server's view) and its result (the process's). */
async function runUnder(
  ctx: TrialContext,
  p: Project,
  script: Omit<TrialScript, "stored">,
  args: string[],
  watch: StoreWatch,
): Promise<{ books: TrialBooks; result: CliResult }> {
  ctx.server.begin({ ...script, stored: (m, i) => watch.storedOk(m, i) });
  const result = await startCli(args, p.dir, env(ctx), ctx.processLimitMs).done;
  return { books: ctx.server.end(), result };
}

function summed(name: string, parts: Partial<TrialResult>[], note: string): TrialResult {
  const total = (k: keyof Omit<TrialResult, "name" | "note">) => parts.reduce((s, x) => s + (x[k] ?? 0), 0);
  return {
    name,
    callsRepeated: total("callsRepeated"),
    outcomesLost: total("outcomesLost"),
    overspendUsd: total("overspendUsd"),
    secretsFound: total("secretsFound"),
    crashes: total("crashes"),
    requests: total("requests"),
    note,
  };
}

/** The repeated requests, for the trial's note ("" when none). */
function repeatDetail(...books: TrialBooks[]): string {
  const repeats = books.flatMap((b) => b.repeats);
  return repeats.length ? `; repeated: ${repeats.slice(0, 8).join(", ")}` : "";
}

/** Answers the server delivered whole that the store does not hold (runs nobody killed). */
function deliveredNotStored(books: TrialBooks, rows: Map<string, StoredRow>): number {
  return books.delivered.filter((key) => !rows.has(key)).length;
}

/** One run under a mix of faults, then a healing run: every outcome kept, nothing paid twice. */
export function faultTrial(
  suite: SuiteContext,
  name: string,
  faults: Partial<Record<Fault, number>>,
  seed: number,
): Promise<TrialResult> {
  return withServer(suite, async (ctx) => {
    const p = project(12);
    const watch = new StoreWatch(p.store);
    const base = { seed, delayMs: 15, deliveredIsFinal: true };
    const first = await runUnder(ctx, p, { ...base, faults }, evalArgs(p, ALL, ["--concurrency", "12"]), watch);
    const before = storedRows(p.store);
    const second = await runUnder(ctx, p, { ...base, faults: {} }, evalArgs(p, ALL), watch);
    watch.close();
    const after = storedRows(p.store);
    const ok = integrity(p.store) === "ok";
    return summed(
      name,
      [
        {
          callsRepeated: first.books.callsRepeated + second.books.callsRepeated,
          outcomesLost:
            lostOutcomes(before, after, p.expected(ALL)) +
            deliveredNotStored(first.books, before) +
            deliveredNotStored(second.books, after) +
            (ok ? 0 : 1),
          secretsFound: secretsIn(
            p.dir,
            [first.result, second.result].flatMap((r) => [r.stdout, r.stderr]),
            ctx.keys,
          ),
          crashes: Number(isCrash(first.result, [0])) + Number(isCrash(second.result, [0])),
          requests: first.books.requests + second.books.requests,
        },
      ],
      `faults ${JSON.stringify(first.books.faults)}${repeatDetail(first.books, second.books)}${crashDetail([
        { r: first.result, allowed: [0] },
        { r: second.result, allowed: [0] },
      ])}`,
    );
  });
}

/** SIGKILL mid-collection, then a run to completion: no completed call repeated, nothing lost. */
export function killTrial(suite: SuiteContext, seed: number): Promise<TrialResult> {
  return withServer(suite, async (ctx) => {
    const models = [MODELS.openai, MODELS.anthropic];
    const p = project(40);
    const watch = new StoreWatch(p.store);
    const faults = seed % 2 ? { "rate-limit": 0.05, truncated: 0.05 } : {};
    ctx.server.begin({ seed, faults, delayMs: 120, deliveredIsFinal: false, stored: (m, i) => watch.storedOk(m, i) });
    const run = startCli(evalArgs(p, models, ["--concurrency", "6"]), p.dir, env(ctx), ctx.processLimitMs);
    let exited = false;
    void run.done.then(() => {
      exited = true;
    });
    // Kill once a share of the answers is stored (seeded between 10% and 60%), at a seeded instant after.
    const threshold = Math.round(p.expected(models).length * (0.1 + ((seed * 7919) % 50) / 100));
    while (!exited && [...storedRows(p.store).values()].filter((r) => r.ok).length < threshold) await sleep(25);
    await sleep((seed * 104729) % 150);
    const killedMidway = !exited;
    run.child.kill("SIGKILL");
    const killed = await run.done;
    const killedBooks = ctx.server.end();
    const before = storedRows(p.store);
    const integrityAfterKill = integrity(p.store);
    const resumed = await runUnder(ctx, p, { seed, faults: {}, deliveredIsFinal: true }, evalArgs(p, models), watch);
    watch.close();
    const after = storedRows(p.store);
    return summed(
      `sigkill #${seed}`,
      [
        {
          callsRepeated: killedBooks.callsRepeated + resumed.books.callsRepeated,
          outcomesLost:
            lostOutcomes(before, after, p.expected(models)) +
            deliveredNotStored(resumed.books, after) +
            (integrityAfterKill === "ok" ? 0 : 1),
          secretsFound: secretsIn(
            p.dir,
            [killed.stdout, killed.stderr, resumed.result.stdout, resumed.result.stderr],
            ctx.keys,
          ),
          crashes: Number(isCrash(killed, [0], true)) + Number(isCrash(resumed.result, [0])),
          requests: killedBooks.requests + resumed.books.requests,
        },
      ],
      `${killedMidway ? "killed" : "finished before the kill"} with ${[...before.values()].filter((r) => r.ok).length}/${p.expected(models).length} stored${crashDetail(
        [
          { r: killed, allowed: [0], killed: true },
          { r: resumed.result, allowed: [0] },
        ],
      )}`,
    );
  });
}

/**
 * Each process its own keys (the suite's, suffixed), so the server can tell which process it
 * answered; the search for the suite's keys finds these too.
 */
function ownKeys(keys: Record<string, string>, k: number): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([name, value]) => [name, `${value}-p${k}`]));
}

/** Several processes on one fresh store at once: each request paid once. */
export function concurrentTrial(suite: SuiteContext, processes: number, seed: number): Promise<TrialResult> {
  return withServer(suite, async (ctx) => {
    const models = [MODELS.openai, MODELS.google];
    const p = project(24);
    const watch = new StoreWatch(p.store);
    const faults = { "rate-limit": 0.08, "server-500": 0.05 };
    ctx.server.begin({ seed, faults, delayMs: 40, deliveredIsFinal: true, stored: (m, i) => watch.storedOk(m, i) });
    const runs = await Promise.all(
      Array.from(
        { length: processes },
        (_, k) =>
          startCli(
            evalArgs(p, models, ["--concurrency", "6"], `reports-${k}`),
            p.dir,
            env(ctx, ownKeys(ctx.keys, k)),
            ctx.processLimitMs,
          ).done,
      ),
    );
    const books = ctx.server.end();
    watch.close();
    const after = storedRows(p.store);
    return summed(
      `${processes} processes, one store`,
      [
        {
          callsRepeated: books.callsRepeated,
          outcomesLost: lostOutcomes(new Map(), after, p.expected(models)) + deliveredNotStored(books, after),
          secretsFound: secretsIn(
            p.dir,
            runs.flatMap((r) => [r.stdout, r.stderr]),
            ctx.keys,
          ),
          crashes: runs.filter((r) => isCrash(r, [0])).length,
          requests: books.requests,
        },
      ],
      `${books.requests} requests for ${p.expected(models).length} outcomes${crashDetail(runs.map((r) => ({ r, allowed: [0] })))}`,
    );
  });
}

/**
 * A --max-cost run against a provider that counts `overCount` x routegate's input estimate, with
 * faults. Within the budget's factor k the promise is no overspend; beyond it, at most what the
 * calls in flight cost past their reservations (bounded here by concurrency x the largest excess).
 */
export function budgetTrial(
  suite: SuiteContext,
  overCount: number,
  faults: Partial<Record<Fault, number>>,
  seed: number,
): Promise<TrialResult> {
  return withServer(suite, async (ctx) => {
    const p = project(60);
    const concurrency = 8;
    const capUsd = 0.00025;
    writeFileSync(
      join(p.dir, "budget.eval.ts"),
      `export default { name: "budget", dataset: "items.jsonl", models: ["${MODELS.openai}"], scorer: "exact", request: { maxTokens: 8, temperature: 0 } };\n`,
    );
    const watch = new StoreWatch(p.store);
    const args = [
      "eval",
      "budget.eval.ts",
      "--json",
      "--quiet",
      "--store",
      p.store,
      "--reports",
      join(p.dir, "reports"),
    ];
    const limits = ["--max-cost", String(capUsd), "--concurrency", String(concurrency), "--timeout-ms", "1500"];
    const { books, result } = await runUnder(
      ctx,
      p,
      { seed, faults, overCount, fullOutput: true, delayMs: 15, deliveredIsFinal: true },
      [...args, ...limits, "--max-error-share", "1"],
      watch,
    );
    watch.close();
    const allowed = overCount <= BUDGET_INPUT_FACTOR ? capUsd : capUsd + concurrency * Math.max(0, books.maxExcessUsd);
    const after = storedRows(p.store);
    return summed(
      `budget ${overCount}x`,
      [
        {
          callsRepeated: books.callsRepeated,
          outcomesLost: deliveredNotStored(books, after),
          overspendUsd: Math.max(0, books.billedUsd - allowed),
          secretsFound: secretsIn(p.dir, [result.stdout, result.stderr], ctx.keys),
          crashes: Number(isCrash(result, [0, 3])),
          requests: books.requests,
        },
      ],
      `billed $${books.billedUsd.toPrecision(4)} of a $${capUsd} cap (allowed $${allowed.toPrecision(4)}), exit ${result.code}${crashDetail([{ r: result, allowed: [0, 3] }])}`,
    );
  });
}
