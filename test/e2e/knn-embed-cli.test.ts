import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeProvider,
  fakeEmbeddingTokens,
  type Responder,
  startFakeProvider,
} from "../../devkit/fake-provider/server.ts";
import { parseRoutingConfig } from "../../src/contracts/routing-config.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { knnRouter, MAX_INDEX_BYTES } from "../../src/routing/index.ts";
import { createRouter } from "../../src/runtime/index.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// ctx.embed end to end: a kNN router embedding with openai:text-embedding-3-small against the fake
// server, through the CLI (stored and charged like calls, a second run makes no request), exported
// (the neighbour index within the size limit, no item text) and routed by the runtime.

const MODELS = ["openai:gpt-4o-mini", "openai:gpt-4o"];
const EMBEDDER = "openai:text-embedding-3-small";
const KEY = "sk-test-knn-embed-0001";
let server: FakeProvider;
let dir: string;
let env: Record<string, string>;
let embedByTopic: Responder;

beforeAll(async () => {
  // gpt-4o is always right; gpt-4o-mini only on questions about billing.
  server = await startFakeProvider({
    text: (question, req) => (req.model === "gpt-4o" || question.includes("billing") ? "yes" : "no"),
    usage: () => ({ prompt: 20, cached: 0, output: 1 }),
  });
  // Embeddings that carry the topic (the fake's default vectors are a hash of the text): billing
  // and login tickets point different ways, each with a little per-ticket noise.
  embedByTopic = (req) => {
    if (req.kind !== "embedding") return undefined;
    const input = String((req.body as { input: string }).input);
    const n = Number(/ticket (\d+)/.exec(input)?.[1] ?? 0);
    const v = Float32Array.from([
      input.includes("billing") ? 1 : 0,
      input.includes("login") ? 1 : 0,
      (n % 7) / 50,
      (n % 5) / 50,
    ]);
    return {
      body: {
        object: "list",
        model: "text-embedding-3-small",
        data: [{ object: "embedding", index: 0, embedding: Buffer.from(v.buffer).toString("base64") }],
        usage: { prompt_tokens: fakeEmbeddingTokens(input), total_tokens: fakeEmbeddingTokens(input) },
      },
    };
  };
  server.setResponder(embedByTopic);
  dir = tempDir("rg-knn-");
  const topics = ["billing invoice refund charge", "login password account locked"];
  const lines = Array.from({ length: 60 }, (_, i) =>
    JSON.stringify({ id: `t${i}`, input: `ticket ${i} about ${topics[i % 2]} secret-text-${i}`, expected: "yes" }),
  );
  writeFileSync(join(dir, "items.jsonl"), `${lines.join("\n")}\n`);
  writeFileSync(
    join(dir, "tickets.eval.ts"),
    `export default {
  name: "tickets",
  dataset: "items.jsonl",
  models: ${JSON.stringify(MODELS)},
  scorer: "exact",
  families: ["knn"],
  embedder: ${JSON.stringify(EMBEDDER)},
  select: { nonInferiorTo: "best", margin: 0.2 },
};
`,
  );
  env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl };
});
afterAll(async () => server?.close());

describe("kNN with an OpenAI embedder through ctx.embed", () => {
  it("stores and charges embeddings like calls, reuses them, exports the index, and routes live", async () => {
    const store = join(dir, "s.sqlite");
    const args = ["eval", "tickets.eval.ts", "--store", store, "--reports", join(dir, "r"), "--json", "--quiet"];
    const first = await runCli(args, dir, env);
    expect(first.code, first.stderr).toBe(0);
    const embeddings = server.requests.filter((r) => r.kind === "embedding");
    expect(embeddings).toHaveLength(60);
    expect(new Set(embeddings.map((r) => (r.body as { model: string }).model))).toEqual(
      new Set(["text-embedding-3-small"]),
    );

    const summary = onlyRun(first.stdout);
    const knn = summary.routers.find((r) => r.id === "knn")!;
    expect(knn.embedders).toEqual([EMBEDDER]);
    // Charged to the policy: its cost per item is at least the embedding's ($0.02 per 1M tokens).
    const embedCostPer1k =
      (1000 * (fakeEmbeddingTokens("ticket 1 about billing invoice refund charge secret-text-1") * 0.02)) / 1e6;
    expect(knn.costPer1k).toBeGreaterThan(embedCostPer1k);
    // Stored with the request identity of a call (item, role "embed"), vectors as stored text.
    const s = OutcomeStore.open(store);
    const stored = s.get(hashOfFirstEmbedding(s))!;
    s.close();
    expect(stored.identity.role).toBe("embed");
    expect(stored.output.startsWith("f32:")).toBe(true);

    // A second run is answered from the store: not one request.
    server.reset();
    server.setResponder(embedByTopic);
    const second = await runCli(args, dir, env);
    expect(second.code, second.stderr).toBe(0);
    expect(server.requests).toHaveLength(0);

    // Export: the neighbour index travels in the config, within the limit, without item text.
    const out = join(dir, "routing.config.json");
    const exported = await runCli(
      ["export", "--eval", "tickets.eval.ts", "--router", "knn", "--reports", join(dir, "r"), "--out", out],
      dir,
      env,
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/index=.{60}… \(\d+ chars\)/);
    const text = readFileSync(out, "utf8");
    expect(statSync(out).size).toBeLessThan(MAX_INDEX_BYTES);
    expect(text).not.toMatch(/secret-text/);
    const config = parseRoutingConfig(text);
    expect(config.embedders).toEqual([{ id: EMBEDDER, provider: "openai", model: "text-embedding-3-small" }]);
    expect(typeof config.router.params.index).toBe("string");

    // The runtime: the same router code, embeddings from the provider, charged in the decision log.
    server.reset();
    server.setResponder(embedByTopic);
    const hosted = { env: { ...process.env, ...env } };
    const routers = [knnRouter({ models: MODELS, embedder: EMBEDDER })];
    const runtime = createRouter(config, { routers, providers: createProviderRegistry([], { hosted }) });
    const decision = await runtime.route({
      id: "live-1",
      input: "ticket 999 about billing invoice refund charge",
      request: { messages: [{ role: "user", content: "ticket 999 about billing" }], maxTokens: 5 },
    });
    expect(server.requests.filter((r) => r.kind === "embedding")).toHaveLength(1);
    const embedCall = decision.log.calls.find((c) => c.model === EMBEDDER)!;
    expect(embedCall.costUsd).toBeGreaterThan(0);
    expect(decision.log.costUsd).toBeGreaterThan(embedCall.costUsd);
    // Billing questions: the cheap model is right on every neighbour, so it answers.
    expect(decision.model).toBe("openai:gpt-4o-mini");

    // The host's allow-list covers embedders too: a config cannot send the texts elsewhere.
    const redirected = { ...config, embedders: [{ ...config.embedders![0]!, baseUrl: "https://evil.example/v1" }] };
    expect(() => createRouter(redirected, { routers })).toThrow(
      /embedders\[0\] "openai:text-embedding-3-small", field baseUrl.*not an endpoint this service allows/,
    );
    // And the router's embedder must be the one the index was built with.
    const other = [knnRouter({ models: MODELS, embedder: "local:hashed-tfidf" })];
    expect(() => createRouter(config, { routers: other })).toThrow(/param embedder: must be "local:hashed-tfidf"/);
  }, 180_000);
});

/** The hash of one stored embedding outcome (role "embed"). */
function hashOfFirstEmbedding(store: OutcomeStore): string {
  const db = (store as unknown as { db: { prepare(sql: string): { get(): { hash: string } } } }).db;
  return db.prepare("SELECT hash FROM outcomes WHERE role = 'embed' LIMIT 1").get().hash;
}
