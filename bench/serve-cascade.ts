import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { startFakeProvider } from "../devkit/fake-provider/server.ts";
import { openaiBody } from "../devkit/fake-provider/wire.ts";
import { placeholderProvenance } from "../devkit/placeholder-provenance.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../src/contracts/routing-config.ts";
import { cascadeRouter, verifierSource } from "../src/routing/index.ts";
import { startGateway } from "../src/serve/gateway.ts";

// What a cascade's held-back weak answer costs a streamed answer's first token. The weak model
// takes `weakGenerationMs` to generate (streamed: its first piece comes at once, the rest over that
// time; whole: the answer arrives after it). Straight to the weak model, the first token comes
// with its first piece; through a cascade, only once the whole weak answer is in and accepted.
// One process (client, gateway and fake): the cost measured is the weak model's generation time.

const KEY = "bench-cascade-key";
const WORDS = "the refund for the duplicate charge has been issued to your card today".split(" ");

export async function benchCascadeStreaming(opts: { weakGenerationMs?: number; requests?: number } = {}) {
  const weakGenerationMs = opts.weakGenerationMs ?? 50;
  const requests = opts.requests ?? 40;
  const fake = await startFakeProvider();
  process.env.OPENAI_API_KEY = "sk-bench-upstream";
  fake.setResponder((req) => {
    const body = openaiBody({
      text: WORDS.join(" "),
      usage: { prompt_tokens: 10, completion_tokens: WORDS.length, total_tokens: 10 + WORDS.length },
      model: req.model ?? "",
    });
    return req.stream ? { body, streamChunkMs: weakGenerationMs / WORDS.length } : { body, delayMs: weakGenerationMs };
  });
  const dir = mkdtempSync(join(tmpdir(), "rg-bench-cascade-"));
  const write = (name: string, router: RoutingConfig["router"]) => {
    const file = join(dir, name);
    const spec = (id: string, model: string) => ({
      id,
      provider: "openai" as const,
      model,
      baseUrl: fake.openaiBaseUrl,
    });
    const config: RoutingConfig = {
      schemaVersion: ROUTING_CONFIG_VERSION,
      router,
      models: [spec("small", "gpt-4o-mini"), spec("large", "gpt-4o")],
      twoTier: null,
      provenance: placeholderProvenance("bench"),
    };
    writeFileSync(file, JSON.stringify(config));
    return file;
  };
  const cascade = cascadeRouter({
    id: "cascade",
    models: ["small", "large"],
    sources: [verifierSource("any", () => true)],
  });
  const gateway = await startGateway({
    allow: { baseUrls: [fake.openaiBaseUrl] },
    apiKey: KEY,
    port: 0,
    watchIntervalMs: 0,
    log: () => {},
    routers: [cascade],
    routes: [
      { name: "weak", file: write("weak.json", { id: "always:small", params: { model: "small" } }) },
      {
        name: "cascade",
        file: write("cascade.json", { id: "cascade", params: { threshold: 0.5, stageThresholds: [] } }),
      },
    ],
  });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
  const ttft = async (model: string) => {
    const t = performance.now();
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "was I refunded?" }],
      stream: true,
    });
    let first = 0;
    for await (const c of stream) if (!first && c.choices[0]?.delta?.content) first = performance.now() - t;
    return first;
  };
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  try {
    const weak: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < requests + 5; i++) {
      const w = await ttft("routegate/weak");
      const c = await ttft("routegate/cascade");
      if (i < 5) continue;
      weak.push(w);
      held.push(c);
    }
    const r = (x: number) => Math.round(x * 10) / 10;
    return {
      weakGenerationMs,
      requests,
      alwaysWeakTtftP50Ms: r(p50(weak)),
      cascadeTtftP50Ms: r(p50(held)),
      costMs: r(p50(held) - p50(weak)),
    };
  } finally {
    await gateway.close(100);
    await fake.close();
  }
}
