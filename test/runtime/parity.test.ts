import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadEvalFile } from "../../src/config/load-eval.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../../src/contracts/routing-config.ts";
import { requestHash } from "../../src/core/request-hash.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult } from "../../src/core/types.ts";
import { runEval } from "../../src/evaluate/run-eval.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import type { Provider } from "../../src/providers/provider.ts";
import { ProviderError } from "../../src/providers/provider-error.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { createRouter, type DecisionLog } from "../../src/runtime/index.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";

const evalFile = (name: string) => fileURLToPath(new URL(`../../evals/${name}.eval.ts`, import.meta.url));

function configFor(
  evalName: string,
  routerId: string,
  params: RoutingConfig["router"]["params"],
  models: RoutingConfig["models"],
): RoutingConfig {
  return {
    schemaVersion: ROUTING_CONFIG_VERSION,
    router: { id: routerId, params },
    models,
    twoTier: null,
    provenance: {
      eval: evalName,
      runId: "test",
      exportedAt: new Date(0).toISOString(),
      simulated: true,
      dataset: { name: evalName, items: 0, hash: "x" },
      priceTable: { version: "x", date: "x" },
      heldOut: true,
      items: 0,
      quality: 0,
      qualityCi: [0, 0],
      costPer1k: 0,
    },
  };
}

/**
 * Production providers answering from the evaluation's outcome store, by the same request hash the
 * evaluation used: runtime and evaluation then see identical model answers, so any difference in
 * decisions would come from the routing code path itself.
 */
function storeReplay(store: OutcomeStore, inner: Provider): Provider {
  return {
    specificationVersion: "v1",
    id: inner.id,
    offline: true,
    snapshot: (spec) => inner.snapshot(spec),
    async complete(spec, request, ctx) {
      const record = store.get(requestHash(inner.snapshot(spec), request, ctx.identity));
      if (!record)
        throw new Error(
          `runtime asked for an outcome the evaluation never collected (${spec.id}, ${ctx.identity.itemId}, ${ctx.identity.role})`,
        );
      return {
        text: record.output,
        usage: record.usage!,
        latencyMs: record.latencyMs,
        ...(record.logprobs ? { logprobs: record.logprobs } : {}),
      };
    },
  };
}

describe.each(["triage", "math"])("runtime parity on the %s golden set", (evalName) => {
  it("decides exactly as the evaluation did, for every router of the eval", async () => {
    const config = await loadEvalFile(evalFile(evalName));
    const store = OutcomeStore.open(":memory:");
    const registry = createProviderRegistry();
    const result = await runEval(config, {
      store,
      registry,
      prices: defaultPriceBook(),
      runId: "parity",
      offline: false,
      concurrency: 8,
      progress: () => ({ start() {}, tick() {}, stop() {} }),
    });
    const { matrix } = result;
    const providers = createProviderRegistry([storeReplay(store, registry.get("sim"))]);
    const routers = result.evaluated.filter((e) => !e.router.id.startsWith("always:"));
    expect(routers.length).toBeGreaterThan(0);
    for (const e of routers) {
      const runtime = createRouter(configFor(evalName, e.router.id, e.params, config.models), {
        routers: config.routers,
        providers,
        // The golden sets run on sim models: a test may allow offline providers, production does not.
        allow: { offline: true },
      });
      const decided: string[] = [];
      const expected: string[] = [];
      for (let i = 0; i < matrix.items.length; i++) {
        const item = matrix.items.at(i)!;
        const d = await runtime.route({
          id: item.id,
          input: item.input,
          ...(item.metadata ? { metadata: item.metadata } : {}),
          request: matrix.request(i),
        });
        decided.push(d.model);
        expected.push(matrix.models[e.outcome.choice[i]!]!);
        // Same request, same model, same identity: the answer itself is the evaluated one.
        // The matrix keeps no texts: the evaluated answer is the stored outcome of its request hash.
        const evaluatedHash = matrix.hash[e.outcome.choice[i]!]!.get(i);
        expect(d.answer.requestHash).toBe(evaluatedHash);
        expect(d.answer.text).toBe(store.get(evaluatedHash)!.output);
      }
      expect(decided).toEqual(expected);
    }
    store.close();
  }, 120_000);
});

/** A provider whose named models fail with a retryable 429, as a rate-limited deployment would. */
function flakyProvider(failing: Set<string>): Provider {
  return {
    specificationVersion: "v1",
    id: "sim",
    offline: true,
    snapshot: (spec) => `flaky-${spec.model}`,
    async complete(spec, _request: ChatRequest, _ctx: ProviderCallContext): Promise<ProviderResult> {
      if (failing.has(spec.model)) throw new ProviderError("429 rate limited", "rate_limited", true, 429);
      return {
        text: `answer from ${spec.model}`,
        usage: {
          input: { noCache: 10, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
          output: { text: 3, reasoning: 0 },
        },
        latencyMs: 5,
      };
    },
  };
}

describe("runtime fallback and config handling", () => {
  const models: RoutingConfig["models"] = [
    { id: "sim:flagship", provider: "sim", model: "flagship" },
    { id: "sim:cheap", provider: "sim", model: "cheap" },
  ];
  const request: ChatRequest = { messages: [{ role: "user", content: "hi" }], maxTokens: 5 };

  it("falls back to the next model on a retryable error and logs the decision", async () => {
    const logs: DecisionLog[] = [];
    const runtime = createRouter(configFor("x", "always:sim:flagship", { model: "sim:flagship" }, models), {
      routers: [],
      providers: createProviderRegistry([flakyProvider(new Set(["flagship"]))]),
      allow: { offline: true },
      onDecision: (log) => logs.push(log),
    });
    const d = await runtime.route({ id: "r1", input: "hi", request });
    expect(d.model).toBe("sim:cheap");
    expect(d.answer.text).toBe("answer from cheap");
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      requestId: "r1",
      chosen: "sim:flagship",
      answeredBy: "sim:cheap",
      fallbacks: [{ model: "sim:flagship" }],
    });
    expect(logs[0]!.costUsd).toBeGreaterThan(0);
  });

  it("refuses an invalid config and keeps the last good one", () => {
    const offline = { allow: { offline: true } };
    const runtime = createRouter(configFor("x", "always:sim:cheap", { model: "sim:cheap" }, models), {
      routers: [],
      ...offline,
    });
    const error = runtime.update('{"schemaVersion": 1, "router": {"id": "x"}}', "routing.config.json");
    expect(error?.message).toMatch(/routing\.config\.json \(field router\.params\)/);
    expect(runtime.config.router.id).toBe("always:sim:cheap");
    expect(() => createRouter(configFor("x", "unknown-router", {}, models), { routers: [], ...offline })).toThrow(
      /not registered in code/,
    );
  });
});
