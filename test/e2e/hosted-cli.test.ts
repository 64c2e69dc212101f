import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider, wordCount } from "../../devkit/fake-provider/server.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// The "done when": `routegate eval --models openai:...,anthropic:...,google:...` against a
// server that speaks the three protocols, with costs from the usage that server returned, a second
// run that makes no requests, a missing key refused before any call, and no key in any file.

const ITEMS = 6;
const MODELS = "openai:gpt-4o-mini,anthropic:claude-3-5-haiku-20241022,google:gemini-2.0-flash";
// Recognisable planted keys: none may appear in anything routegate writes or prints.
const salt = Math.random().toString(36).slice(2, 10);
const PLANTED = {
  OPENAI_API_KEY: `sk-planted-openai-${salt}`,
  ANTHROPIC_API_KEY: `sk-planted-anthropic-${salt}`,
  GEMINI_API_KEY: `sk-planted-gemini-${salt}`,
};

// List prices (docs/metrics.md#cost fixture), USD per 1M: input, cached input, output.
const PRICES = {
  openai: { input: 0.15, cached: 0.075, output: 0.6 },
  anthropic: { input: 0.8, cached: 0.08, output: 4 },
  google: { input: 0.1, cached: 0.025, output: 0.4 },
} as const;

interface OpenAIWire {
  usage: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number } };
}
interface AnthropicWire {
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number };
}
interface GeminiWire {
  usageMetadata: { promptTokenCount: number; cachedContentTokenCount: number; candidatesTokenCount: number };
}

/** Cost of one reply from its raw wire usage, worked out here independently of routegate's normalisers. */
function replyCost(provider: keyof typeof PRICES, body: unknown): number {
  const p = PRICES[provider];
  if (provider === "openai") {
    const u = (body as OpenAIWire).usage;
    const cached = u.prompt_tokens_details.cached_tokens;
    return ((u.prompt_tokens - cached) * p.input + cached * p.cached + u.completion_tokens * p.output) / 1e6;
  }
  if (provider === "anthropic") {
    const u = (body as AnthropicWire).usage;
    return (u.input_tokens * p.input + u.cache_read_input_tokens * p.cached + u.output_tokens * p.output) / 1e6;
  }
  const u = (body as GeminiWire).usageMetadata;
  const cached = u.cachedContentTokenCount;
  return ((u.promptTokenCount - cached) * p.input + cached * p.cached + u.candidatesTokenCount * p.output) / 1e6;
}

let server: FakeProvider;
let dir: string;
let dataset: string;

beforeAll(async () => {
  // Deterministic answers keyed by the question: GPT right on all, Claude on even items, Gemini on
  // the first three; usage grows with the question and the answer so every item costs differently.
  server = await startFakeProvider({
    text: (question, req) => {
      const k = Number(/number (\d+)/.exec(question)?.[1] ?? -1);
      const right = req.provider === "openai" || (req.provider === "anthropic" ? k % 2 === 0 : k < 3);
      return right ? `City${k}` : `Town of ${k} perhaps`;
    },
    usage: (question, text, req) => ({
      prompt: 900 + 7 * wordCount(question) + (req.provider === "google" ? 5 : 0),
      cached: 512,
      output: 2 + wordCount(text),
    }),
  });
  dir = tempDir("rg-hosted-");
  dataset = join(dir, "capitals.jsonl");
  const lines = Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      input: `Name the capital of country number ${i}${" please".repeat(i)}.`,
      expected: `City${i}`,
    }),
  );
  writeFileSync(dataset, `${lines.join("\n")}\n`);
});

afterAll(async () => server?.close());

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...PLANTED,
    GOOGLE_API_KEY: "",
    OPENAI_BASE_URL: server.openaiBaseUrl,
    ANTHROPIC_BASE_URL: server.rootUrl,
    GOOGLE_GEMINI_BASE_URL: server.rootUrl,
    ...overrides,
  };
}

const args = (store: string) => [
  "eval",
  "--dataset",
  dataset,
  "--models",
  MODELS,
  "--scorer",
  "exact",
  "--routers",
  "none",
  "--json",
  "--store",
  join(dir, store),
  "--reports",
  join(dir, "reports"),
];

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("routegate eval against hosted-provider protocols (local fake server)", () => {
  const outputs: string[] = [];

  it("collects from all three providers and prices each call from the usage the server returned", async () => {
    const run = await runCli(args("store.sqlite"), dir, env());
    outputs.push(run.stdout, run.stderr);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    const summary = onlyRun(run.stdout);
    expect(summary.simulated).toBe(false);
    expect(summary.collection.providerCalls).toBe(3 * ITEMS);
    expect(server.requests).toHaveLength(3 * ITEMS);
    expect(server.requests.every((r) => r.reply?.status === 200)).toBe(true);

    for (const [provider, id] of [
      ["openai", "openai:gpt-4o-mini"],
      ["anthropic", "anthropic:claude-3-5-haiku-20241022"],
      ["google", "google:gemini-2.0-flash"],
    ] as const) {
      const replies = server.requests.filter((r) => r.provider === provider);
      expect(replies, provider).toHaveLength(ITEMS);
      const expectedPer1k = (1000 * replies.reduce((s, r) => s + replyCost(provider, r.reply!.body), 0)) / ITEMS;
      const model = summary.models.find((m) => m.id === id)!;
      expect(model.costPer1k, id).toBeCloseTo(expectedPer1k, 10);
      expect(model.cacheHitRate, id).toBeGreaterThan(0);
    }
    const quality = Object.fromEntries(summary.models.map((m) => [m.id, m.quality]));
    expect(quality).toEqual({
      "openai:gpt-4o-mini": 1,
      "anthropic:claude-3-5-haiku-20241022": 0.5,
      "google:gemini-2.0-flash": 0.5,
    });
  });

  it("makes zero requests on a second identical run", async () => {
    const before = server.requests.length;
    const run = await runCli(args("store.sqlite"), dir, env());
    outputs.push(run.stdout, run.stderr);
    expect(run.code).toBe(0);
    const summary = onlyRun(run.stdout);
    expect(summary.collection.providerCalls).toBe(0);
    expect(summary.collection.fromStore).toBe(3 * ITEMS);
    expect(server.requests.length).toBe(before);
  });

  it("refuses a missing key with exit 2 naming the variable, before any request", async () => {
    const before = server.requests.length;
    const run = await runCli(args("fresh.sqlite"), dir, env({ ANTHROPIC_API_KEY: "" }));
    outputs.push(run.stdout, run.stderr);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("ANTHROPIC_API_KEY");
    expect(server.requests.length).toBe(before);
  });

  it("writes no key into the store, the reports or any other file, and prints none", () => {
    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith("store.sqlite"))).toBe(true);
    expect(files.some((f) => f.endsWith("summary.json"))).toBe(true);
    // The keys did reach the server (so the test would see them if routegate copied them anywhere).
    expect(server.requests.some((r) => r.headers.authorization === `Bearer ${PLANTED.OPENAI_API_KEY}`)).toBe(true);
    for (const file of files) {
      const content = readFileSync(file).toString("latin1");
      for (const key of Object.values(PLANTED)) expect(content.includes(key), `${key} in ${file}`).toBe(false);
    }
    for (const out of outputs) for (const key of Object.values(PLANTED)) expect(out).not.toContain(key);
  });
});
