import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeProvider,
  lastUserText,
  type RecordedRequest,
  startFakeProvider,
} from "../../devkit/fake-provider/server.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// Issue 10, items 4 and 5, through the real CLI (a fresh process: cold SDKs) against the local
// fake server speaking all three protocols.

const ITEMS = 8;
const MODELS = "openai:gpt-4o-mini,anthropic:claude-3-5-haiku-20241022,google:gemini-2.0-flash";
let server: FakeProvider;
let dir: string;
let dataset: string;

beforeAll(async () => {
  server = await startFakeProvider();
  dir = tempDir("rg-netfaults-");
  dataset = join(dir, "items.jsonl");
  const lines = Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({ id: `q${i}`, input: `Question number ${i}?`, expected: "ok" }),
  );
  writeFileSync(dataset, `${lines.join("\n")}\n`);
});
beforeEach(() => server.reset());
afterAll(async () => server?.close());

const env = () => ({
  OPENAI_API_KEY: "sk-netfaults-openai-0001",
  ANTHROPIC_API_KEY: "sk-netfaults-anthropic-0002",
  GEMINI_API_KEY: "netfaults-gemini-0003",
  GOOGLE_API_KEY: "",
  OPENAI_BASE_URL: server.openaiBaseUrl,
  ANTHROPIC_BASE_URL: server.rootUrl,
  GOOGLE_GEMINI_BASE_URL: server.rootUrl,
});

const args = (name: string, extra: string[] = []) => [
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
  join(dir, `${name}.sqlite`),
  "--reports",
  join(dir, name),
  ...extra,
];

const question = (req: RecordedRequest) => lastUserText(req.provider as "openai", req.body);

describe("a reply body cut short (item 4)", () => {
  it("is retried like a dropped connection; the run goes on and writes its report", async () => {
    // Every request's first reply is cut half-way; item 0's replies are always cut.
    const seen = new Set<string>();
    server.setResponder((req) => {
      const key = `${req.provider} ${question(req)}`;
      const first = !seen.has(key);
      seen.add(key);
      return first || question(req).includes("number 0?") ? { body: {}, truncateAt: 0.5 } : undefined;
    });
    const run = await runCli(args("cut", ["--max-error-share", "0.2"]), dir, env());
    expect(run.stderr).not.toMatch(/internal error|TypeError/);
    expect(run.code).toBe(0);
    const summary = onlyRun(run.stdout);
    expect(summary.collection.providerCalls).toBe(3 * ITEMS);
    // 4 attempts for item 0 (all cut), 2 for every other item, per provider.
    expect(server.requests).toHaveLength(3 * (4 + 2 * (ITEMS - 1)));
    const failures = summary.collection.failures ?? [];
    expect(failures.map((f) => `${f.itemId} ${f.code}`)).toEqual(Array(3).fill("q0 connection_error"));
    expect(summary.models.every((m) => m.quality === (ITEMS - 1) / ITEMS)).toBe(true);
    expect(existsSync(join(dir, "cut", summary.eval, "latest", "report.md"))).toBe(true);
  }, 150_000);
});

describe("the per-attempt deadline (item 5)", () => {
  it("starts when the request is sent: with --timeout-ms 500 and cold SDKs, every attempt reached the server", async () => {
    const run = await runCli(args("deadline", ["--timeout-ms", "500", "--concurrency", "24"]), dir, env());
    expect(run.stderr).not.toMatch(/internal error/);
    const summary = onlyRun(run.stdout);
    const timedOut = summary.collection.timedOut ?? 0;
    const failed = summary.collection.failures?.length ?? 0;
    // The fake answers every request at once, so an attempt either got its answer or timed out:
    // attempts = answers + timeouts. Each must be a request the server received.
    const attempts = summary.collection.providerCalls - failed + timedOut;
    process.stderr.write(
      `deadline: ${server.requests.length} requests received, ${attempts} attempts, ${timedOut} timeouts charged\n`,
    );
    expect(server.requests.length).toBe(attempts);
    expect(summary.collection.providerCalls).toBe(3 * ITEMS);
  }, 150_000);
});
