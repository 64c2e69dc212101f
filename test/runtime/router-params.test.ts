import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { heuristicRouter } from "../../routers/heuristic.ts";
import { loadEvalFile } from "../../src/config/load-eval.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../../src/contracts/routing-config.ts";
import type { ChatRequest } from "../../src/core/types.ts";
import {
  cascadeRouter,
  checkRouterParams,
  classifierRouter,
  defineRouter,
  learnedRouter,
  lengthRouter,
  qualityCostRouter,
} from "../../src/routing/index.ts";
import { featureCount } from "../../src/routing/learn/featurize.ts";
import type { AnyRouter } from "../../src/routing/router.ts";
import { createRouter } from "../../src/runtime/index.ts";
import { EXAMPLE_EVALS } from "../example-evals.ts";

// Issue 10, item 2: router params arrive as data, so each router's own zod schema checks them at
// load (and a refused update changes nothing).

const models: ModelSpec[] = [
  { id: "sim:cheap", provider: "sim", model: "cheap" },
  { id: "sim:flagship", provider: "sim", model: "flagship" },
];
const request: ChatRequest = { messages: [{ role: "user", content: "hi there" }], maxTokens: 5 };

function configFor(router: RoutingConfig["router"], specs: ModelSpec[] = models): RoutingConfig {
  return {
    schemaVersion: ROUTING_CONFIG_VERSION,
    router,
    models: specs,
    twoTier: null,
    provenance: {
      eval: "x",
      runId: "x",
      exportedAt: new Date(0).toISOString(),
      simulated: true,
      dataset: { name: "x", items: 0, hash: "x" },
      priceTable: { version: "x", date: "x" },
      heldOut: true,
      items: 0,
      quality: 0,
      qualityCi: [0, 0],
      costPer1k: 0,
    },
  };
}

/** The refusal message, or null when the runtime accepted the config. */
function refusal(router: AnyRouter, params: RoutingConfig["router"]["params"], specs = models): string | null {
  try {
    createRouter(configFor({ id: router.id, params }, specs), { routers: [router], allow: { offline: true } });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

const length = lengthRouter({ weak: "sim:cheap", strong: "sim:flagship", threshold: 10 });
const good = { weak: "sim:cheap", strong: "sim:flagship", threshold: 10 };

describe("router params are validated by the router's own schema", () => {
  it("accepts the params the router was evaluated with", () => {
    expect(refusal(length, good)).toBeNull();
  });

  it("refuses a string threshold, naming the router, the param and what was expected", () => {
    expect(refusal(length, { ...good, threshold: "10" })).toMatch(
      /field router\.params\): router "length" param threshold: .*expected number, received string/,
    );
  });

  it("refuses a weak or strong model the config does not list", () => {
    expect(refusal(length, { ...good, weak: "gpt-4o-mini" })).toMatch(
      /router "length" param weak: "gpt-4o-mini" is not one of the config's models \(sim:cheap, sim:flagship\)/,
    );
    expect(refusal(heuristicRouter({ weak: "sim:cheap", strong: "sim:flagship" }), { ...good, strong: "x" })).toMatch(
      /router "heuristic" param strong: "x" is not one of/,
    );
  });

  it("refuses unknown and missing params", () => {
    expect(refusal(length, { ...good, treshold: 3 })).toMatch(/router "length" params: Unrecognized key: "treshold"/);
    const { threshold: _, ...missing } = good;
    expect(refusal(length, missing)).toMatch(/router "length" param threshold: .*expected number/);
  });

  it("refuses duplicate model ids", () => {
    expect(refusal(length, good, [...models, { id: "sim:cheap", provider: "sim", model: "flagship" }])).toMatch(
      /field models\[2\]\.id\): duplicate model id "sim:cheap"/,
    );
  });

  it("refuses a weights array of the wrong length (learned and quality-cost routers)", () => {
    const learned = learnedRouter({ weak: "sim:cheap", strong: "sim:flagship" });
    const fittedLength = featureCount({ bits: 10, response: false, verifiers: 0 }) + 1;
    const base = { weak: "sim:cheap", strong: "sim:flagship", threshold: 0, l2: 0.01 };
    expect(refusal(learned, { ...base, weights: [] })).toBeNull();
    expect(refusal(learned, { ...base, weights: new Array(fittedLength).fill(0.1) })).toBeNull();
    expect(refusal(learned, { ...base, weights: [1, 2, 3] })).toMatch(
      new RegExp(`router "learned" param weights: fitted weights .*expected 0 or ${fittedLength} numbers, got 3`),
    );
    const qc = qualityCostRouter({ models: ["sim:cheap", "sim:flagship"] });
    expect(refusal(qc, { lambda: 0.1, weights: [], costs: [1], predictor: "learned" })).toMatch(
      /router "quality-cost" param costs: relative cost per model: expected 2 numbers, got 1/,
    );
    expect(refusal(qc, { lambda: 0.1, weights: [], costs: [0.1, 1], predictor: "oracle" })).toMatch(/param predictor/);
  });

  it("refuses a config that lacks a model the router's code calls", () => {
    const cascade = cascadeRouter({ models: ["sim:cheap", "sim:mid", "sim:flagship"], sources: [] });
    expect(refusal(cascade, { threshold: 0.5, stageThresholds: [] })).toMatch(
      /router "cascade" params: the router's code calls "sim:mid" \(cascade stage\), which the config's models do not list/,
    );
    const twoStage = cascadeRouter({ models: ["sim:cheap", "sim:flagship"], sources: [] });
    expect(refusal(twoStage, { threshold: 0.5, stageThresholds: [0.1, 0.2] })).toMatch(/param stageThresholds/);
    const classifier = classifierRouter({ weak: "sim:cheap", strong: "sim:flagship", classifier: "sim:nano" });
    expect(refusal(classifier, good)).toMatch(/calls "sim:nano" \(classifier\)/);
  });

  it("refuses an always:<model> config whose params route elsewhere", () => {
    const runtime = () =>
      createRouter(configFor({ id: "always:sim:cheap", params: { model: "sim:flagship" } }), {
        routers: [],
        allow: { offline: true },
      });
    expect(runtime).toThrow(/router "always:sim:cheap" param model: must be "sim:cheap"/);
  });

  it("leaves routers without a schema unchecked (user routers keep working)", () => {
    const mine = defineRouter({
      id: "mine",
      params: { anything: "goes" },
      score: async () => null,
      decide: () => ({ model: "sim:cheap" }),
    });
    expect(refusal(mine, { anything: 3, more: "x" })).toBeNull();
  });
});

describe("a refused update changes nothing", () => {
  it("keeps config reporting the last good one, and routing with it", async () => {
    const runtime = createRouter(configFor({ id: "length", params: good }), {
      routers: [length],
      allow: { offline: true },
    });
    const before = await runtime.route({ id: "a", input: "short", request });
    expect(before.model).toBe("sim:cheap");
    const updates = [
      configFor({ id: "not-registered", params: {} }),
      configFor({ id: "length", params: { ...good, threshold: "0" } }),
      configFor({ id: "length", params: { ...good, threshold: 0 } }, [
        { id: "sim:cheap", provider: "vllm", model: "x", baseUrl: "http://evil.example/v1" },
        models[1]!,
      ]),
    ];
    for (const next of updates) {
      const error = runtime.update(JSON.stringify(next), "routing.config.json");
      expect(runtime.config.router).toEqual({ id: "length", params: good });
      expect(runtime.config.models).toEqual(models);
      expect(error?.message).toMatch(/^routing\.config\.json \(/);
      const after = await runtime.route({ id: "a", input: "short", request });
      expect(after.model).toBe("sim:cheap");
      expect(after.log.router.params).toEqual(good);
    }
    // A good update still applies, atomically.
    expect(runtime.update(JSON.stringify(configFor({ id: "length", params: { ...good, threshold: 0 } })))).toBeNull();
    expect((await runtime.route({ id: "a", input: "short", request })).model).toBe("sim:flagship");
  });
});

describe("every router of the example evals carries a params schema", () => {
  const dir = fileURLToPath(new URL("../../evals/", import.meta.url));
  it.each(EXAMPLE_EVALS)("%s", async (name) => {
    const config = await loadEvalFile(`${dir}${name}.eval.ts`);
    const ids = config.models.map((m) => m.id);
    expect(config.routers.length).toBeGreaterThan(0);
    for (const router of config.routers) {
      expect(router.paramsSchema, router.id).toBeDefined();
      expect(checkRouterParams(router, router.params, { models: ids })).toBeNull();
      // And the schema does bite: a flag in place of the first param is refused.
      const [first] = Object.keys(router.params);
      expect(checkRouterParams(router, { ...router.params, [first!]: true }, { models: ids })).toMatch(
        new RegExp(`router "${router.id}" param ${first}`),
      );
    }
  });
});
