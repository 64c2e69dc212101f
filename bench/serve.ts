import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import autocannon from "autocannon";
import OpenAI from "openai";
import { startFakeProvider } from "../devkit/fake-provider/server.ts";
import { placeholderProvenance } from "../devkit/placeholder-provenance.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../src/contracts/routing-config.ts";
import { type Gateway, startGateway } from "../src/serve/gateway.ts";

// The gateway's overhead against calling the same local fake upstream directly, same run: the
// sequential added latency (the same OpenAI SDK client, direct and through the gateway,
// interleaved so noise hits both), throughput and latency under load with autocannon (64
// connections), heap growth over many requests, and the served p99 with shadow evaluation at
// 100%. Client, gateway and upstream run in ONE process sharing this machine's cores: the figures
// are relative, not what a dedicated gateway host would sustain.

const KEY = "bench-gateway-key";

function config(baseUrl: string, model: string): RoutingConfig {
  const spec = (id: string, m: string) => ({ id, provider: "openai" as const, model: m, baseUrl });
  return {
    schemaVersion: ROUTING_CONFIG_VERSION,
    router: { id: `always:${model}`, params: { model } },
    models: [spec("small", "gpt-4o-mini"), spec("large", "gpt-4o")],
    twoTier: null,
    provenance: placeholderProvenance("bench"),
  };
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function gcNow(): () => void {
  v8.setFlagsFromString("--expose_gc");
  return vm.runInNewContext("gc") as () => void;
}

export async function benchServe(opts: { sequential?: number; loadSeconds?: number; memoryRequests?: number } = {}) {
  const sequential = opts.sequential ?? 1000;
  const loadSeconds = opts.loadSeconds ?? 20;
  const memoryRequests = opts.memoryRequests ?? 100_000;
  const fake = await startFakeProvider();
  // The fake keeps every request for tests; here that would be the process's growth, not ours.
  const clearFake = setInterval(() => fake.reset(), 200);
  process.env.OPENAI_API_KEY = "sk-bench-upstream";
  const dir = mkdtempSync(join(tmpdir(), "rg-bench-serve-"));
  const file = (name: string, model: string) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(config(fake.openaiBaseUrl, model)));
    return f;
  };
  const prod = file("prod.json", "small");
  const candidate = file("cand.json", "large");
  const base = { allow: { baseUrls: [fake.openaiBaseUrl] }, apiKey: KEY, port: 0, watchIntervalMs: 0, log: () => {} };
  const plain = await startGateway({ ...base, routes: [{ file: prod }] });
  const shadowed = await startGateway({
    ...base,
    routes: [{ file: prod }],
    shadow: { file: candidate, rate: 1, maxCostUsd: 1e9, out: join(dir, "shadow") },
  });
  const body = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hello there" }], max_tokens: 16 };
  const direct = new OpenAI({ baseURL: fake.openaiBaseUrl, apiKey: "sk-bench-upstream", maxRetries: 0 });
  const via = (g: Gateway) => new OpenAI({ baseURL: `${g.url}/v1`, apiKey: KEY, maxRetries: 0 });
  const clients = { direct, gateway: via(plain), shadow: via(shadowed) };
  const timed = async (c: OpenAI, model: string) => {
    const t = performance.now();
    await c.chat.completions.create({ ...body, model });
    return performance.now() - t;
  };
  try {
    // Sequential, interleaved: direct, gateway, gateway with shadow at 100%.
    const ms = { direct: [] as number[], gateway: [] as number[], shadow: [] as number[] };
    for (let i = 0; i < sequential + 50; i++) {
      const d = await timed(clients.direct, "gpt-4o-mini");
      const g = await timed(clients.gateway, "routegate/bench");
      const s = await timed(clients.shadow, "routegate/bench");
      if (i < 50) continue; // warm-up
      ms.direct.push(d);
      ms.gateway.push(g);
      ms.shadow.push(s);
    }
    await shadowed.shadow!.drain();

    // Under load: autocannon, 64 connections, against the fake directly, then through the gateway.
    const load = (url: string, model: string, headers: Record<string, string> = {}) =>
      autocannon({
        url,
        method: "POST",
        connections: 64,
        duration: loadSeconds,
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ ...body, model }),
      });
    const loadDirect = await load(`${fake.openaiBaseUrl}/chat/completions`, "gpt-4o-mini", {
      authorization: "Bearer sk-bench-upstream",
    });
    const loadGateway = await load(`${plain.url}/v1/chat/completions`, "routegate/bench", {
      authorization: `Bearer ${KEY}`,
    });

    // Memory: heap after a warm-up, then after `memoryRequests` more requests (after GC both times).
    const gc = gcNow();
    const burst = (amount: number) =>
      autocannon({
        url: `${plain.url}/v1/chat/completions`,
        method: "POST",
        connections: 64,
        amount,
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ ...body, model: "routegate/bench" }),
      });
    await burst(5000);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const memRun = await burst(memoryRequests);
    gc();
    const heapAfter = process.memoryUsage().heapUsed;

    const r = (x: number) => Math.round(x * 1000) / 1000;
    return {
      note: "client, gateway and fake upstream share one process and this machine's cores (2 here); load tool: autocannon",
      sequential: {
        requests: sequential,
        directP50Ms: r(pct(ms.direct, 0.5)),
        directP99Ms: r(pct(ms.direct, 0.99)),
        addedP50Ms: r(pct(ms.gateway, 0.5) - pct(ms.direct, 0.5)),
        addedP99Ms: r(pct(ms.gateway, 0.99) - pct(ms.direct, 0.99)),
        shadowP99RiseMs: r(pct(ms.shadow, 0.99) - pct(ms.gateway, 0.99)),
        shadowWritten: shadowed.shadow!.stats.written,
      },
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
    };
  } finally {
    clearInterval(clearFake);
    await plain.close(100);
    await shadowed.close(100);
    await fake.close();
  }
}

export function printServe(s: Awaited<ReturnType<typeof benchServe>>): void {
  const q = s.sequential;
  console.log(
    `serve (${s.note}): sequential ${q.requests}: direct p50 ${q.directP50Ms} ms, added p50 ${q.addedP50Ms} ms (goal <= 1), added p99 ${q.addedP99Ms} ms; shadow at 100% raises p99 by ${q.shadowP99RiseMs} ms (goal <= 1)`,
  );
  const l = s.load;
  console.log(
    `serve load (${l.connections} connections, ${l.seconds} s): direct ${l.directRps} req/s, gateway ${l.gatewayRps} req/s, added p50 ${l.addedP50Ms} ms, p99 ${l.addedP99Ms} ms, ${l.gatewayErrors} errors`,
  );
  const m = s.memory;
  console.log(
    `serve memory: ${m.requests} requests (${m.errors} errors): heap ${m.heapBeforeMb} -> ${m.heapAfterMb} MB (growth ${m.growthMb} MB)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const short = process.argv.includes("--short");
  const s = await benchServe(short ? { sequential: 200, loadSeconds: 5, memoryRequests: 20_000 } : {});
  printServe(s);
  if (process.argv.includes("--json")) console.log(JSON.stringify({ serve: s }));
}
