import { execFileSync } from "node:child_process";
import { setPriority } from "node:os";
import OpenAI from "openai";
import { createRng } from "../src/stats/random.ts";
import type { ThreadCpu } from "./thread-cpu.ts";

// The serve bench's shadow comparison: what shadow evaluation at 100% adds to the served latency,
// sequentially (one request at a time, the next sent as soon as the answer is in, so a shadowed
// request's background work has no idle gap of the client's to hide in).
//
// Noise on this shared 2-core machine moves a p99 by several milliseconds between runs, more than
// the 1 ms goal. So the kinds are taken in small blocks, in rounds (one block of each kind per
// round, in a fresh random order), so that the machine's slow spells hit every kind alike; and the
// p99 difference comes with a 95% interval, bootstrapped over rounds (rounds resampled with
// replacement, each kind's requests pooled, the difference recomputed), instead of one number.
// Between blocks the bench waits until the shadowed gateways' background work is done: a block's
// last request leaves its shadow work to no measured request (1 in `block`), but none spills onto
// the next block, whatever its kind.

export interface ShadowComparisonKinds {
  /** The gateway without shadow evaluation (the reference). */
  plain: string;
  /** Gateways with shadow at 100%, by name (e.g. the worker thread, the in-thread runner). */
  shadowed: Record<string, string>;
}

export interface RiseFigures {
  p50RiseMs: number;
  p99RiseMs: number;
  /** 95% bootstrap interval of the p99 rise, over rounds. */
  p99RiseCi95Ms: [number, number];
  /** Share of bootstrap resamples in which the p99 rise exceeds 1 ms. */
  p99RiseOver1MsShare: number;
}

const KEY = "bench-gateway-key";
const body = {
  model: "routegate/bench",
  messages: [{ role: "user" as const, content: "hello there" }],
  max_tokens: 16,
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export const pct = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const sorted = (xs: readonly number[]) => Float64Array.from(xs).sort() as unknown as number[];

/**
 * `drain` waits until the shadowed gateways' background work is done, and returns the gateway
 * process's thread CPU times (thread-cpu.ts) where it can: each kind's CPU per request, on the
 * gateway's main thread and on all its threads, is then reported beside its latencies.
 */
export async function shadowComparison(
  kinds: ShadowComparisonKinds,
  opts: { rounds: number; block: number; drain: () => Promise<ThreadCpu | undefined> },
) {
  const names = ["plain", ...Object.keys(kinds.shadowed)];
  const urls: Record<string, string> = { plain: kinds.plain, ...kinds.shadowed };
  const clients = Object.fromEntries(
    names.map((n) => [n, new OpenAI({ baseURL: `${urls[n]}/v1`, apiKey: KEY, maxRetries: 0 })]),
  );
  // ms[kind][round] = that round's block of latencies.
  const ms: Record<string, number[][]> = Object.fromEntries(names.map((n) => [n, []]));
  // Seeded: the bootstrap's interval is the same for the same samples.
  const random = createRng(20261130);
  const cpu: Record<string, ThreadCpu> = Object.fromEntries(names.map((n) => [n, { mainNs: 0, allNs: 0 }]));
  let last = await opts.drain();
  // Two rounds first, untimed: the client's code warms up too.
  for (let round = -2; round < opts.rounds; round++) {
    const order = [...names].sort(() => random() - 0.5);
    for (const name of order) {
      const block: number[] = [];
      for (let i = 0; i < opts.block; i++) {
        const t = performance.now();
        await clients[name]!.chat.completions.create(body);
        block.push(performance.now() - t);
      }
      const now = await opts.drain();
      if (round >= 0) {
        ms[name]!.push(block);
        if (now && last) {
          cpu[name]!.mainNs += now.mainNs - last.mainNs;
          cpu[name]!.allNs += now.allNs - last.allNs;
        }
      }
      last = now;
    }
  }
  const rises: Record<string, RiseFigures> = {};
  for (const name of Object.keys(kinds.shadowed)) rises[name] = riseOf(ms.plain!, ms[name]!, random);
  const all = (n: string) => sorted(ms[n]!.flat());
  return {
    rounds: opts.rounds,
    block: opts.block,
    requestsPerKind: opts.rounds * opts.block,
    plainP50Ms: r3(pct(all("plain"), 0.5)),
    plainP99Ms: r3(pct(all("plain"), 0.99)),
    rises,
    /** Per kind: the gateway process's CPU per request (ms), on its main thread and on all its threads. */
    cpuPerRequestMs: last
      ? Object.fromEntries(
          names.map((n) => [
            n,
            {
              mainThread: r3(cpu[n]!.mainNs / 1e6 / (opts.rounds * opts.block)),
              allThreads: r3(cpu[n]!.allNs / 1e6 / (opts.rounds * opts.block)),
            },
          ]),
        )
      : undefined,
  };
}

/** The shadowed kind's rise over plain: p50 and p99, with the p99's bootstrap interval over rounds. */
function riseOf(plain: number[][], shadowed: number[][], random: () => number): RiseFigures {
  const p = sorted(plain.flat());
  const s = sorted(shadowed.flat());
  const rounds = plain.length;
  const diffs: number[] = [];
  for (let b = 0; b < 2000; b++) {
    const pickP: number[] = [];
    const pickS: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const r = Math.floor(random() * rounds);
      pickP.push(...plain[r]!);
      pickS.push(...shadowed[r]!);
    }
    diffs.push(pct(sorted(pickS), 0.99) - pct(sorted(pickP), 0.99));
  }
  const d = sorted(diffs);
  return {
    p50RiseMs: r3(pct(s, 0.5) - pct(p, 0.5)),
    p99RiseMs: r3(pct(s, 0.99) - pct(p, 0.99)),
    p99RiseCi95Ms: [r3(pct(d, 0.025)), r3(pct(d, 0.975))],
    p99RiseOver1MsShare: r3(diffs.filter((x) => x > 1).length / diffs.length),
  };
}

/**
 * `npm run bench:serve:shadow -- [--rounds 80] [--warm 3000] [--one-process | --candidate-upstream]`: the shadow
 * comparison alone (the full `bench:serve` runs it too), with the gateway process's CPU time.
 */
/** Every thread of a process in the idle scheduling class, or its main thread at nice 19 where chrt is missing. */
function idleProcess(pid: number): string {
  try {
    execFileSync("/usr/bin/chrt", ["--idle", "--all-tasks", "--pid", "0", String(pid)], { stdio: "ignore" });
    return "the idle scheduling class";
  } catch {
    setPriority(pid, 19);
    return "nice 19";
  }
}

async function main() {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const rounds = arg("--rounds", 80);
  const warm = arg("--warm", 3000);
  const { loadavg } = await import("node:os");
  const { default: autocannon } = await import("autocannon");
  const loadBefore = loadavg();
  const warmUp = async (urls: string[]) => {
    for (const url of urls)
      await autocannon({
        url: `${url}/v1/chat/completions`,
        method: "POST",
        connections: 8,
        amount: warm,
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify(body),
      });
  };
  let result: Record<string, unknown>;
  if (process.argv.includes("--one-process")) {
    const { startFakeProvider } = await import("../devkit/fake-provider/server.ts");
    const { drainShadowed, startBenchGateways } = await import("./serve-gateways.ts");
    const fake = await startFakeProvider();
    const clear = setInterval(() => fake.reset(), 200);
    const g = await startBenchGateways(fake.openaiBaseUrl, KEY);
    await warmUp([g.plain.url, g.shadowed.url, g.shadowedInThread.url]);
    const cpu = process.cpuUsage();
    const figures = await shadowComparison(
      { plain: g.plain.url, shadowed: { worker: g.shadowed.url, inThread: g.shadowedInThread.url } },
      {
        rounds,
        block: 20,
        drain: () => drainShadowed(g),
      },
    );
    const used = process.cpuUsage(cpu);
    result = { setup: "one process", ...figures, processCpuS: r3((used.user + used.system) / 1e6) };
    clearInterval(clear);
    for (const gw of [g.plain, g.shadowed, g.shadowedInThread]) await gw.close(100);
    await fake.close();
  } else {
    const { spawnChild } = await import("./serve-processes.ts");
    const upstream = await spawnChild("./serve-upstream.ts", []);
    // `--candidate-upstream`: the candidate's calls go to an upstream process of their own, at the
    // lowest priority (the idle scheduling class where util-linux's chrt is at hand, else nice 19),
    // as a remote model's server would not share the gateway's cores: what is left of the rise is
    // then the gateway's own (its main thread, and its idle-class worker).
    const own = process.argv.includes("--candidate-upstream") ? await spawnChild("./serve-upstream.ts", []) : undefined;
    const ownPriority = own?.process.pid ? idleProcess(own.process.pid) : undefined;
    const gateway = await spawnChild("./serve-gateway.ts", [
      upstream.ready.openaiBaseUrl as string,
      KEY,
      ...(own ? [own.ready.openaiBaseUrl as string] : []),
    ]);
    const urls = gateway.ready as { plain: string; shadowed: string; shadowedInThread: string };
    try {
      await warmUp([urls.plain, urls.shadowed, urls.shadowedInThread]);
      const cpuBefore = await gateway.ask<number>({ cmd: "cpu" });
      const figures = await shadowComparison(
        { plain: urls.plain, shadowed: { worker: urls.shadowed, inThread: urls.shadowedInThread } },
        { rounds, block: 20, drain: () => gateway.ask<ThreadCpu | undefined>({ cmd: "drain" }) },
      );
      const cpuAfter = await gateway.ask<number>({ cmd: "cpu" });
      result = {
        setup: own ? `three processes, the candidate's upstream a fourth at ${ownPriority}` : "three processes",
        ...figures,
        gatewayCpuS: r3((cpuAfter - cpuBefore) / 1e6),
      };
    } finally {
      await gateway.close();
      await upstream.close();
      await own?.close();
    }
  }
  const loadAfter = loadavg();
  console.log(
    JSON.stringify({ ...result, warmUp: warm, loadavg1Before: r3(loadBefore[0]!), loadavg1After: r3(loadAfter[0]!) }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
