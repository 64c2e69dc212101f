import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { estimatedInput, overCountingAnswerer } from "../../devkit/fake-provider/over-count.ts";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// Issue 10, item 6, through the CLI: a provider that counts more input tokens than routegate's
// estimate, with a small max tokens so that input dominates every call's cost. What the fake
// server billed (its own usage figures, at list price) is compared with --max-cost.

const ITEMS = 80;
const CAP = 0.00025;
const CONCURRENCY = 8;
const price = defaultPriceBook().priceFor({ id: "m", provider: "openai", model: "gpt-4o-mini" })!;
let server: FakeProvider;

function project(): string {
  const dir = tempDir("rg-overcount-");
  const lines = Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({ id: `q${i}`, input: `Question number ${i}: ${"and why ".repeat(i % 5)}?`, expected: "ok" }),
  );
  writeFileSync(join(dir, "items.jsonl"), `${lines.join("\n")}\n`);
  writeFileSync(
    join(dir, "counts.eval.ts"),
    `export default { name: "counts", dataset: "items.jsonl", models: ["openai:gpt-4o-mini"], scorer: "exact", request: { maxTokens: 8, temperature: 0 } };\n`,
  );
  return dir;
}

/** USD the fake server billed: the usage it reported, at list price. */
function billed(): number {
  return server.requests.reduce((sum, r) => {
    const u = (r.reply?.body as { usage?: { prompt_tokens: number; completion_tokens: number } })?.usage;
    return u ? sum + (u.prompt_tokens * price.input + u.completion_tokens * price.output) / 1e6 : sum;
  }, 0);
}

function storedRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM outcomes").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const run = (dir: string) =>
  runCli(
    ["eval", "counts.eval.ts", "--max-cost", String(CAP), "--concurrency", String(CONCURRENCY), "--store", "s.sqlite"],
    dir,
    { OPENAI_API_KEY: "sk-overcount-0001", OPENAI_BASE_URL: server.openaiBaseUrl },
  );

beforeAll(async () => {
  server = await startFakeProvider();
});
beforeEach(() => server.reset());
afterAll(async () => server?.close());

describe("--max-cost with a provider that counts more input than routegate's estimate", () => {
  it("spends at most the cap while the provider counts up to k x the estimate (1.4x)", async () => {
    server.setAnswerer(overCountingAnswerer(1.4));
    const dir = project();
    const r = await run(dir);
    expect(r.stderr).toMatch(/stopped at the --max-cost budget/);
    expect(r.code).toBe(3);
    expect(server.requests.length).toBeGreaterThan(CONCURRENCY);
    expect(server.requests.length).toBeLessThan(ITEMS);
    expect(billed()).toBeLessThanOrEqual(CAP);
    expect(storedRows(join(dir, "s.sqlite"))).toBe(server.requests.length);
    process.stderr.write(`over-count 1.4x: billed $${billed()} of $${CAP} in ${server.requests.length} calls\n`);
  }, 120_000);

  it("stops at once, keeping every outcome, when it counts more (2.5x)", async () => {
    server.setAnswerer(overCountingAnswerer(2.5));
    const dir = project();
    const r = await run(dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/stopped at once under the --max-cost budget/);
    expect(r.stderr).toMatch(/above the \$[0-9.e-]+ reserved for it/);
    // The first reply showed the estimate was too small: only the calls then in flight were made.
    expect(server.requests.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(storedRows(join(dir, "s.sqlite"))).toBe(server.requests.length);
    expect(billed()).toBeLessThan(CAP);
    // The fake's count really was 2.5x routegate's estimate.
    const first = server.requests[0]!;
    const reported = (first.reply!.body as { usage: { prompt_tokens: number } }).usage.prompt_tokens;
    expect(reported).toBe(Math.ceil(2.5 * estimatedInput(first)));
    process.stderr.write(`over-count 2.5x: billed $${billed()} of $${CAP} in ${server.requests.length} calls\n`);
  }, 120_000);
});
