import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll } from "vitest";
import { defaultAnswerer, type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { placeholderProvenance } from "../../devkit/placeholder-provenance.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../../src/contracts/routing-config.ts";
import { lengthRouter } from "../../src/routing/index.ts";
import type { GatewayDecisionLine } from "../../src/serve/chat-handler.ts";
import { type Gateway, type GatewayOptions, startGateway } from "../../src/serve/gateway.ts";

// Gateway tests: the official OpenAI SDK over real HTTP against `routegate serve` (in process),
// which calls the local fake provider through routegate's own adapters.

export const GATEWAY_KEY = "rg-gateway-test-key-0001";
export const UPSTREAM_KEYS = { OPENAI_API_KEY: "sk-upstream-openai-0001", ANTHROPIC_API_KEY: "sk-ant-upstream-0002" };

/** Short inputs (under 40 characters) go to `weak`, longer ones to `strong`. */
export const byLength = lengthRouter({ weak: "small", strong: "large", id: "by-length" });

export function routingConfig(
  models: ModelSpec[],
  router: RoutingConfig["router"] = { id: "by-length", params: { threshold: 40, weak: "small", strong: "large" } },
  evalName = "triage",
): RoutingConfig {
  return {
    schemaVersion: ROUTING_CONFIG_VERSION,
    router,
    models,
    twoTier: null,
    provenance: placeholderProvenance(evalName),
  };
}

export interface ServeHarness {
  fake: FakeProvider;
  dir: string;
  gateway: Gateway;
  client: OpenAI;
  decisions: GatewayDecisionLine[];
  logs: string[];
  openai(id: string, model?: string): ModelSpec;
  anthropic(id: string, model?: string): ModelSpec;
  writeConfig(name: string, config: RoutingConfig): string;
  /** (Re)starts the gateway on these options (the harness fills allow, key, log, routers). */
  start(opts: Partial<GatewayOptions> & Pick<GatewayOptions, "routes">): Promise<Gateway>;
}

export function useGateway(): ServeHarness {
  const h = { decisions: [], logs: [] } as unknown as ServeHarness;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    for (const [k, v] of Object.entries(UPSTREAM_KEYS)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    h.fake = await startFakeProvider();
    h.dir = mkdtempSync(join(tmpdir(), "rg-serve-"));
    h.openai = (id, model = "gpt-4o-mini") => ({ id, provider: "openai", model, baseUrl: h.fake.openaiBaseUrl });
    h.anthropic = (id, model = "claude-haiku-4-5") => ({ id, provider: "anthropic", model, baseUrl: h.fake.rootUrl });
    h.writeConfig = (name, config) => {
      const file = join(h.dir, name);
      writeFileSync(file, JSON.stringify(config, null, 2));
      return file;
    };
    h.start = async (opts) => {
      await h.gateway?.close(100);
      h.decisions.length = 0;
      h.logs.length = 0;
      h.gateway = await startGateway({
        routers: [byLength],
        allow: { baseUrls: [h.fake.openaiBaseUrl, h.fake.rootUrl] },
        apiKey: GATEWAY_KEY,
        port: 0,
        watchIntervalMs: 0,
        log: (m) => h.logs.push(m),
        onDecision: (line) => h.decisions.push(line),
        ...opts,
      });
      h.client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: GATEWAY_KEY, maxRetries: 0 });
      return h.gateway;
    };
  });
  afterEach(() => {
    h.fake.reset();
    h.fake.setAnswerer(defaultAnswerer);
  });
  afterAll(async () => {
    await h.gateway?.close(100);
    await h.fake.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  return h;
}

/** The `always:<model>` router's config section. */
export const alwaysTo = (model: string): RoutingConfig["router"] => ({ id: `always:${model}`, params: { model } });
