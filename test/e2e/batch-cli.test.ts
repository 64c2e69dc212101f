import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider, wordCount } from "../../devkit/fake-provider/server.ts";
import type { WireProvider } from "../../devkit/fake-provider/wire.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import { spawnRoutegate, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// `routegate eval --batch` against the fake server's batch endpoints: half-price outcomes from the
// usage the batches returned, per-request failures stored as failures, and a run killed mid-batch
// that the next run resumes by polling the persisted batch id, never submitting twice.

const ITEMS = 5;
const IDS = {
  openai: "openai:gpt-4o-mini",
  anthropic: "anthropic:claude-3-5-haiku-20241022",
  google: "google:gemini-2.0-flash",
} as const;
const MODELS = Object.values(IDS).join(",");
const KEYS = { OPENAI_API_KEY: "sk-b-openai", ANTHROPIC_API_KEY: "sk-b-anthropic", GEMINI_API_KEY: "sk-b-gemini" };
// List prices (docs/metrics.md#cost fixture), USD per 1M: input, cached input, output.
const PRICES = {
  openai: { input: 0.15, cached: 0.075, output: 0.6 },
  anthropic: { input: 0.8, cached: 0.08, output: 4 },
  google: { input: 0.1, cached: 0.025, output: 0.4 },
} as const;
const PROVIDERS = ["openai", "anthropic", "google"] as const;

interface Wire {
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens: number } };
  usageMetadata?: { promptTokenCount: number; cachedContentTokenCount: number; candidatesTokenCount: number };
}

/** List-price cost of one answer body from its raw wire usage, worked out here, not by routegate. */
function listCost(provider: WireProvider, body: Record<string, unknown>): number {
  const p = PRICES[provider];
  const w = body as Wire;
  if (provider === "anthropic") {
    const u = body.usage as { input_tokens: number; output_tokens: number; cache_read_input_tokens: number };
    return (u.input_tokens * p.input + u.cache_read_input_tokens * p.cached + u.output_tokens * p.output) / 1e6;
  }
  const [prompt, cached, output] =
    provider === "openai"
      ? [w.usage!.prompt_tokens!, w.usage!.prompt_tokens_details!.cached_tokens, w.usage!.completion_tokens!]
      : [
          w.usageMetadata!.promptTokenCount,
          w.usageMetadata!.cachedContentTokenCount,
          w.usageMetadata!.candidatesTokenCount,
        ];
  return ((prompt - cached) * p.input + cached * p.cached + output * p.output) / 1e6;
}

let server: FakeProvider;
let dir: string;
let dataset: string;

beforeAll(async () => {
  server = await startFakeProvider({
    text: (question) => `City${/number (\d+)/.exec(question)?.[1] ?? "?"}`,
    usage: (question, text, req) => ({
      prompt: 900 + 7 * wordCount(question) + (req.provider === "google" ? 5 : 0),
      cached: 512,
      output: 2 + wordCount(text),
    }),
  });
  dir = tempDir("rg-batch-");
  dataset = join(dir, "capitals.jsonl");
  const lines = Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      input: `Capital of country number ${i}${" please".repeat(i)}?`,
      expected: `City${i}`,
    }),
  );
  writeFileSync(dataset, `${lines.join("\n")}\n`);
});
beforeEach(() => server.reset());
afterAll(async () => server?.close());

const env = () => ({
  ...KEYS,
  GOOGLE_API_KEY: "",
  OPENAI_BASE_URL: server.openaiBaseUrl,
  ANTHROPIC_BASE_URL: server.rootUrl,
  GOOGLE_GEMINI_BASE_URL: server.rootUrl,
});
const args = (store: string) => [
  "eval",
  ...["--dataset", dataset, "--models", MODELS, "--scorer", "exact", "--routers", "none", "--json", "--batch"],
  ...["--batch-poll-ms", "50", "--store", join(dir, store), "--reports", join(dir, "reports")],
];

function storedOutcomes(store: string) {
  const s = OutcomeStore.open(join(dir, store));
  try {
    return { batches: s.batches.all(), rows: server.batches.submissions.flatMap((b) => b.ids.map((h) => s.get(h))) };
  } finally {
    s.close();
  }
}

describe("routegate eval --batch (fake batch endpoints)", () => {
  it("collects every answer through one batch per model, priced at half the list price", async () => {
    server.batches.pollsBeforeDone = 2;
    const run = await runCli(args("full.sqlite"), dir, env());
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    const summary = onlyRun(run.stdout);
    // No synchronous call at all: every answer came from a batch.
    expect(server.requests.filter((r) => /completions$|messages$|:generateContent$/.test(r.path))).toHaveLength(0);
    expect(server.batches.submissions.map((b) => b.provider).sort()).toEqual(["anthropic", "google", "openai"]);
    expect(summary.collection.providerCalls).toBe(3 * ITEMS);
    for (const provider of PROVIDERS) {
      const sub = server.batches.submissions.find((b) => b.provider === provider)!;
      expect(sub.ids).toHaveLength(ITEMS);
      const list = [...sub.bodies.values()].reduce((a, b) => a + listCost(provider, b), 0);
      const model = summary.models.find((m) => m.id === IDS[provider])!;
      expect(model.costPer1k, provider).toBeCloseTo((0.5 * 1000 * list) / ITEMS, 12);
      expect(model.batchShare, provider).toBe(1);
      expect(model.quality, provider).toBe(1);
    }
    const { rows, batches } = storedOutcomes("full.sqlite");
    expect(rows.every((r) => r?.serviceTier === "batch" && r.error === null)).toBe(true);
    expect(batches.every((b) => b.done)).toBe(true);

    // A second run finds everything in the store and submits nothing.
    server.reset();
    const again = await runCli(args("full.sqlite"), dir, env());
    expect(again.code).toBe(0);
    expect(server.batches.submissions).toHaveLength(0);
    expect(onlyRun(again.stdout).collection.fromStore).toBe(3 * ITEMS);
  });

  it("stores per-request failures and expiry as failed outcomes; a later run retries only the expired", async () => {
    server.batches.fate = (_id, q) => (q.includes("number 1") ? "error" : q.includes("number 2") ? "expired" : "ok");
    const run = await runCli([...args("partial.sqlite"), "--max-error-share", "1"], dir, env());
    expect(run.stderr).not.toMatch(/internal error/);
    const summary = onlyRun(run.stdout);
    const { rows } = storedOutcomes("partial.sqlite");
    const codes = (provider: WireProvider) =>
      server.batches.submissions
        .find((b) => b.provider === provider)!
        .ids.map((h) => rows.find((r) => r?.hash === h)?.errorCode ?? null)
        .sort((a, b) => String(a).localeCompare(String(b)));
    // OpenAI and Anthropic expire one request; Gemini's whole job expires, leaving item 2 without a line.
    expect(codes("openai")).toEqual(["bad_request", "batch_expired", null, null, null]);
    expect(codes("anthropic")).toEqual(["bad_request", "batch_expired", null, null, null]);
    expect(codes("google")).toEqual(["bad_request", "batch_expired", null, null, null]);
    for (const provider of PROVIDERS) expect(summary.models.find((m) => m.id === IDS[provider])!.errors).toBe(2);

    // Next run: only the expired requests (retryable) are batched again, and now succeed.
    server.reset();
    const again = await runCli(args("partial.sqlite"), dir, env());
    expect(again.stderr).not.toMatch(/internal error/);
    expect(server.batches.submissions.map((b) => b.ids.length)).toEqual([1, 1, 1]);
  });

  it("two runs sharing a store submit each request once; the other run waits for those answers", async () => {
    server.batches.pollsBeforeDone = 2;
    // Submissions answered after 2 s: both runs look for open batches before either has recorded its own.
    server.batches.submitDelayMs = 2000;
    const runs = await Promise.all([0, 1].map(() => spawnRoutegate(args("shared.sqlite"), dir, env()).done));
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/internal error/);
      expect(run.code).toBe(0);
    }
    const submitted = server.batches.submissions.flatMap((b) => b.ids);
    expect(submitted).toHaveLength(3 * ITEMS);
    expect(new Set(submitted).size).toBe(3 * ITEMS);
    // Nor paid for synchronously: the run that did not submit a request read the other's answer.
    expect(server.requests.filter((r) => /completions$|messages$|:generateContent$/.test(r.path))).toHaveLength(0);
    const [a, b] = runs.map((run) => onlyRun(run.stdout));
    for (const m of [...a!.models, ...b!.models]) expect(m.quality).toBe(1);
    expect(a!.collection.providerCalls + b!.collection.providerCalls).toBe(3 * ITEMS);
  });

  it("resumes a batch after the CLI is killed mid-batch, with no duplicate submission", async () => {
    server.batches.pollsBeforeDone = 1_000_000;
    const store = "restart.sqlite";
    const { child, done } = spawnRoutegate(args(store), dir, env());
    // Wait until all three batches are persisted (the store's batches table), then kill the CLI.
    const deadline = Date.now() + 30_000;
    let persisted = 0;
    while (persisted < 3 && Date.now() < deadline) {
      await sleep(50);
      persisted = storedOutcomes(store).batches.length;
    }
    expect(persisted).toBe(3);
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    expect(storedOutcomes(store).batches.every((b) => !b.done)).toBe(true);
    expect(server.batches.submissions).toHaveLength(3);

    server.batches.pollsBeforeDone = 0;
    const polledBefore = server.requests.length;
    const run = await runCli(args(store), dir, env());
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    // Exactly one submission per model over both runs; the second run polled the persisted ids.
    expect(server.batches.submissions.map((b) => b.provider).sort()).toEqual(["anthropic", "google", "openai"]);
    const polled = server.requests.slice(polledBefore).map((r) => r.path);
    for (const b of server.batches.submissions) expect(polled.some((p) => p.endsWith(b.id))).toBe(true);
    const { rows, batches } = storedOutcomes(store);
    expect(rows).toHaveLength(3 * ITEMS);
    expect(rows.every((r) => r?.serviceTier === "batch")).toBe(true);
    expect(batches.every((b) => b.done)).toBe(true);
    const summary = onlyRun(run.stdout);
    for (const m of summary.models) expect(m.batchShare).toBe(1);
  });
});
