import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { placeholderProvenance } from "../devkit/placeholder-provenance.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../src/contracts/routing-config.ts";
import { type Gateway, startGateway } from "../src/serve/gateway.ts";
import { type ThreadCpu, threadCpu } from "./thread-cpu.ts";

// The serve bench's gateways, all routing to `baseUrl`: one plain, and two with shadow evaluation
// at 100% (candidate: another model, so every sampled request makes a background call): one runs
// the candidate in its worker thread (the default), the other on its own thread (`inProcess`, the
// design before the worker), so that both are measured in the same run.

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

export interface BenchGateways {
  plain: Gateway;
  shadowed: Gateway;
  shadowedInThread: Gateway;
}

/** `candidateBaseUrl`: where the candidate's models are served (default `baseUrl`: the same upstream). */
export async function startBenchGateways(
  baseUrl: string,
  key: string,
  candidateBaseUrl = baseUrl,
): Promise<BenchGateways> {
  process.env.OPENAI_API_KEY = "sk-bench-upstream";
  const dir = mkdtempSync(join(tmpdir(), "rg-bench-serve-"));
  const file = (name: string, model: string, url = baseUrl) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(config(url, model)));
    return f;
  };
  const prod = file("prod.json", "small");
  const base = {
    allow: { baseUrls: [baseUrl, candidateBaseUrl] },
    apiKey: key,
    port: 0,
    watchIntervalMs: 0,
    log: () => {},
  };
  const plain = await startGateway({ ...base, routes: [{ file: prod }] });
  const cand = file("cand.json", "large", candidateBaseUrl);
  const shadowed = await startGateway({
    ...base,
    routes: [{ file: prod }],
    shadow: { file: cand, rate: 1, maxCostUsd: 1e9, out: join(dir, "shadow") },
  });
  const shadowedInThread = await startGateway({
    ...base,
    routes: [{ file: prod }],
    shadow: { file: cand, rate: 1, maxCostUsd: 1e9, out: join(dir, "shadow-in-thread"), inProcess: true },
  });
  return { plain, shadowed, shadowedInThread };
}

/** Waits until both shadowed gateways' background work is done; then this process's thread CPU. */
export async function drainShadowed(g: BenchGateways): Promise<ThreadCpu | undefined> {
  await Promise.all([g.shadowed.shadow!.drain(), g.shadowedInThread.shadow!.drain()]);
  return threadCpu();
}
