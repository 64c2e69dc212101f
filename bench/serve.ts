import os from "node:os";
import autocannon from "autocannon";
import OpenAI from "openai";
import { startFakeProvider } from "../devkit/fake-provider/server.ts";
import { benchCascadeStreaming } from "./serve-cascade.ts";
import { drainShadowed, startBenchGateways } from "./serve-gateways.ts";
import { spawnChild } from "./serve-processes.ts";
import { pct, shadowComparison } from "./serve-shadow.ts";
import type { ThreadCpu } from "./thread-cpu.ts";

// The gateway's overhead against calling the same local fake upstream directly, same run. Three
// processes, as in production: the fake upstream, the gateway, and the client (this process: the
// OpenAI SDK, and autocannon for load). Figures: the sequential added latency (the same OpenAI SDK
// client, direct and through the gateway, interleaved so noise hits both), throughput and latency
// under load (64 connections), the gateway's heap growth over many requests, the served p99 with
// shadow evaluation at 100% (sequential), and what a cascade's held-back weak answer costs a
// streamed answer's first token. The three processes share this machine's cores (2 here, with
// other work on them: the load average is reported beside the figures), so figures are relative.

const KEY = "bench-gateway-key";

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const body = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hello there" }], max_tokens: 16 };

/**
 * Requests before any figure is taken: `amount` to each of the three endpoints at 8 connections.
 * V8 optimises a function only after it has run hot for a while: a gateway 50 requests old still
 * runs most of its code unoptimised, at about twice the CPU per request it settles at after a few
 * thousand (bench/serve-profile.ts shows the curve). A gateway in production is warm; so is this one.
 */
export const WARM_UP_REQUESTS = 10_000;

async function warmUp(upstreamUrl: string, urls: GatewayUrls, amount: number) {
  const run = (url: string, model: string, key: string) =>
    autocannon({
      url,
      method: "POST",
      connections: 8,
      amount,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ ...body, model }),
    });
  await run(`${upstreamUrl}/chat/completions`, "gpt-4o-mini", "sk-bench-upstream");
  for (const url of [urls.plain, urls.shadowed, urls.shadowedInThread])
    await run(`${url}/v1/chat/completions`, "routegate/bench", KEY);
}

interface GatewayUrls {
  plain: string;
  /** Shadow at 100%, the candidate in the shadow worker thread. */
  shadowed: string;
  /** Shadow at 100%, the candidate on the gateway's own thread (the design before the worker). */
  shadowedInThread: string;
}

/** Requests per block of the sequential runs. */
const BLOCK = 25;
/** Requests per block of the shadow comparison (serve-shadow.ts), and its rounds per 1000 requests. */
const SHADOW_BLOCK = 20;

/**
 * Sequential: pairs (direct, then the plain gateway: the added latency), in blocks of BLOCK; then
 * the shadow comparison (serve-shadow.ts): plain, shadowed (worker) and shadowed (in-thread)
 * gateways in blocks of SHADOW_BLOCK, rounds in random order, with bootstrap intervals.
 */
async function sequentialRun(
  upstreamUrl: string,
  urls: GatewayUrls,
  requests: number,
  drain: () => Promise<ThreadCpu | undefined>,
  warm = WARM_UP_REQUESTS,
) {
  if (warm > 0) await warmUp(upstreamUrl, urls, warm);
  const direct = new OpenAI({ baseURL: upstreamUrl, apiKey: "sk-bench-upstream", maxRetries: 0 });
  const gateway = new OpenAI({ baseURL: `${urls.plain}/v1`, apiKey: KEY, maxRetries: 0 });
  const timed = async (c: OpenAI, model: string) => {
    const t = performance.now();
    await c.chat.completions.create({ ...body, model });
    return performance.now() - t;
  };
  const ms = { direct: [] as number[], gateway: [] as number[] };
  // Three blocks first, untimed: the client's own code (the SDK) warms up too.
  for (let i = -3 * BLOCK; i < requests; i++) {
    const d = await timed(direct, "gpt-4o-mini");
    const g = await timed(gateway, "routegate/bench");
    if (i >= 0) {
      ms.direct.push(d);
      ms.gateway.push(g);
    }
  }
  const shadow = await shadowComparison(
    { plain: urls.plain, shadowed: { worker: urls.shadowed, inThread: urls.shadowedInThread } },
    { rounds: Math.max(10, Math.round(requests / SHADOW_BLOCK)), block: SHADOW_BLOCK, drain },
  );
  const s = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [dir, gw] = [s(ms.direct), s(ms.gateway)];
  return {
    requests,
    warmUp: warm,
    directP50Ms: r3(pct(dir, 0.5)),
    directP99Ms: r3(pct(dir, 0.99)),
    gatewayP50Ms: r3(pct(gw, 0.5)),
    addedP50Ms: r3(pct(gw, 0.5) - pct(dir, 0.5)),
    addedP99Ms: r3(pct(gw, 0.99) - pct(dir, 0.99)),
    shadowP50RiseMs: shadow.rises.worker!.p50RiseMs,
    shadowP99RiseMs: shadow.rises.worker!.p99RiseMs,
    shadowP99RiseCi95Ms: shadow.rises.worker!.p99RiseCi95Ms,
    shadow,
  };
}

/** The same sequential run with client, gateway and upstream in this one process (no scheduler hops between them). */
async function sequentialInProcess(requests: number, warm: number) {
  const fake = await startFakeProvider();
  const clear = setInterval(() => fake.reset(), 200);
  const gateways = await startBenchGateways(fake.openaiBaseUrl, KEY);
  const { plain, shadowed, shadowedInThread } = gateways;
  try {
    const figures = await sequentialRun(
      fake.openaiBaseUrl,
      { plain: plain.url, shadowed: shadowed.url, shadowedInThread: shadowedInThread.url },
      requests,
      () => drainShadowed(gateways),
      warm,
    );
    await shadowed.shadow!.drain();
    return { ...figures, shadowWritten: shadowed.shadow!.stats.written };
  } finally {
    clearInterval(clear);
    await plain.close(100);
    await shadowed.close(100);
    await shadowedInThread.close(100);
    await fake.close();
  }
}

export async function benchServe(
  opts: { sequential?: number; loadSeconds?: number; memoryRequests?: number; warmUp?: number } = {},
) {
  const sequential = opts.sequential ?? 1000;
  const warm = opts.warmUp ?? WARM_UP_REQUESTS;
  const loadSeconds = opts.loadSeconds ?? 20;
  const memoryRequests = opts.memoryRequests ?? 100_000;
  const loadBefore = os.loadavg()[0]!;
  const upstream = await spawnChild("./serve-upstream.ts", []);
  const upstreamUrl = upstream.ready.openaiBaseUrl as string;
  const gatewayProcess = await spawnChild("./serve-gateway.ts", [upstreamUrl, KEY]);
  const urls = gatewayProcess.ready as unknown as GatewayUrls;
  const drain = () => gatewayProcess.ask<ThreadCpu | undefined>({ cmd: "drain" });
  try {
    const sequentialProcesses = await sequentialRun(upstreamUrl, urls, sequential, drain, warm);
    const shadowStats = await gatewayProcess.ask<{ written: number }>({ cmd: "shadow" });
    // The gateway process's CPU time per request (user + system), sequential: unlike latency, it
    // does not depend on how busy the machine's other processes keep the cores.
    const cpuClient = new OpenAI({ baseURL: `${urls.plain}/v1`, apiKey: KEY, maxRetries: 0 });
    const cpuRequests = Math.max(200, Math.round(sequential / 2));
    const cpuBefore = await gatewayProcess.ask<number>({ cmd: "cpu" });
    for (let i = 0; i < cpuRequests; i++)
      await cpuClient.chat.completions.create({ ...body, model: "routegate/bench" });
    const cpuAfter = await gatewayProcess.ask<number>({ cmd: "cpu" });

    // Under load: autocannon, 64 connections, against the fake directly, then through the gateway.
    const load = (
      url: string,
      model: string,
      headers: Record<string, string>,
      run: { duration?: number; amount?: number },
    ) =>
      autocannon({
        url,
        method: "POST",
        connections: 64,
        ...run,
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ ...body, model }),
      });
    const toDirect = () =>
      load(
        `${upstreamUrl}/chat/completions`,
        "gpt-4o-mini",
        { authorization: "Bearer sk-bench-upstream" },
        { duration: loadSeconds },
      );
    const toGateway = (run: { duration?: number; amount?: number }) =>
      load(`${urls.plain}/v1/chat/completions`, "routegate/bench", { authorization: `Bearer ${KEY}` }, run);
    const loadDirect = await toDirect();
    const loadGateway = await toGateway({ duration: loadSeconds });

    // Memory: the gateway's heap after a warm-up, then after `memoryRequests` more (after GC both times).
    await toGateway({ amount: 5000 });
    const heapBefore = await gatewayProcess.ask<number>({ cmd: "heap" });
    const memRun = await toGateway({ amount: memoryRequests });
    const heapAfter = await gatewayProcess.ask<number>({ cmd: "heap" });
    const cascade = await benchCascadeStreaming();

    const r = r3;
    const inProcess = await sequentialInProcess(sequential, warm);
    return {
      note: `client (OpenAI SDK, autocannon), gateway and fake upstream in three processes sharing this machine's ${os.availableParallelism()} cores; load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after; load tool: autocannon`,
      /** Three processes: what a client sees, scheduler hops between the processes included. */
      sequential: {
        ...sequentialProcesses,
        shadowWritten: shadowStats.written,
        gatewayCpuPerRequestMs: r((cpuAfter - cpuBefore) / cpuRequests / 1000),
      },
      /** One process: the gateway's own work on the request path, without hops between processes. */
      sequentialInProcess: inProcess,
      load: {
        connections: 64,
        seconds: loadSeconds,
        directRps: Math.round(loadDirect.requests.average),
        gatewayRps: Math.round(loadGateway.requests.average),
        addedP50Ms: loadGateway.latency.p50 - loadDirect.latency.p50,
        addedP99Ms: loadGateway.latency.p99 - loadDirect.latency.p99,
        gatewayErrors: loadGateway.errors + loadGateway.non2xx,
      },
      memory: {
        requests: memRun.requests.total,
        errors: memRun.errors + memRun.non2xx,
        heapBeforeMb: r(heapBefore / 2 ** 20),
        heapAfterMb: r(heapAfter / 2 ** 20),
        growthMb: r((heapAfter - heapBefore) / 2 ** 20),
      },
      cascadeStreaming: cascade,
    };
  } finally {
    await gatewayProcess.close();
    await upstream.close();
  }
}

export function printServe(s: Awaited<ReturnType<typeof benchServe>>): void {
  console.log(`serve (${s.note})`);
  for (const [where, q] of [
    ["three processes", s.sequential],
    ["one process", s.sequentialInProcess],
  ] as const)
    console.log(
      `serve sequential ${q.requests} (after ${q.warmUp} warm-up requests per endpoint), ${where}: direct p50 ${q.directP50Ms} ms, added p50 ${q.addedP50Ms} ms (goal <= 1), added p99 ${q.addedP99Ms} ms; shadow at 100% (worker thread; ${q.shadow.requestsPerKind} requests per kind) raises p50 by ${q.shadowP50RiseMs} ms, p99 by ${q.shadowP99RiseMs} ms, 95% interval [${q.shadowP99RiseCi95Ms.join(", ")}] (goal <= 1); in-thread: p50 ${q.shadow.rises.inThread!.p50RiseMs} ms, p99 ${q.shadow.rises.inThread!.p99RiseMs} ms [${q.shadow.rises.inThread!.p99RiseCi95Ms.join(", ")}]`,
    );
  console.log(`serve gateway CPU per request (user + system, sequential): ${s.sequential.gatewayCpuPerRequestMs} ms`);
  const l = s.load;
  console.log(
    `serve load (${l.connections} connections, ${l.seconds} s): direct ${l.directRps} req/s, gateway ${l.gatewayRps} req/s, added p50 ${l.addedP50Ms} ms, p99 ${l.addedP99Ms} ms, ${l.gatewayErrors} errors`,
  );
  const m = s.memory;
  console.log(
    `serve memory: ${m.requests} requests (${m.errors} errors): gateway heap ${m.heapBeforeMb} -> ${m.heapAfterMb} MB (growth ${m.growthMb} MB)`,
  );
  const c = s.cascadeStreaming;
  console.log(
    `serve cascade, streamed (weak model generating for ${c.weakGenerationMs} ms): time to first token p50 ${c.alwaysWeakTtftP50Ms} ms straight to the weak model, ${c.cascadeTtftP50Ms} ms through a cascade that holds the weak answer back (cost ${c.costMs} ms)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const short = process.argv.includes("--short");
  // `--warm N`: requests to each endpoint before figures are taken (0: figures of a cold gateway).
  const warmAt = process.argv.indexOf("--warm");
  const warmUp = warmAt > 0 ? Number(process.argv[warmAt + 1]) : undefined;
  const s = await benchServe({
    ...(short ? { sequential: 200, loadSeconds: 5, memoryRequests: 20_000 } : {}),
    ...(warmUp !== undefined ? { warmUp } : {}),
  });
  printServe(s);
  if (process.argv.includes("--json")) console.log(JSON.stringify({ serve: s }));
}
