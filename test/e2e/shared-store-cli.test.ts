import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { replyFor } from "../../devkit/fake-provider/wire.ts";
import { tempDir } from "./cli.ts";
import { routegateAsync } from "./cli-async.ts";
import { onlyRun } from "./eval-json.ts";

// Issue 10, item 7, through the CLI: parallel runs on one machine sharing one (fresh) store file.
// Before claims, 2 to 4 concurrent runs made 183-400 calls for 100 items.

const ITEMS = 30;
const RUNS = 3;
let server: FakeProvider;

beforeAll(async () => {
  server = await startFakeProvider();
  // A little latency, so the runs' calls overlap.
  server.setResponder((req) => ({
    body: replyFor("openai", { text: "ok", usage: { prompt: 20, cached: 0, output: 1 }, model: req.model }),
    delayMs: 40,
  }));
});
afterAll(async () => server?.close());

describe("runs sharing one store", () => {
  it("pay once per request: the others wait for the answers and read them from the store", async () => {
    const dir = tempDir("rg-shared-");
    const dataset = join(dir, "items.jsonl");
    const lines = Array.from({ length: ITEMS }, (_, i) =>
      JSON.stringify({ id: `q${i}`, input: `Q${i}?`, expected: "ok" }),
    );
    writeFileSync(dataset, `${lines.join("\n")}\n`);
    const args = (k: number) => [
      "eval",
      "--dataset",
      dataset,
      "--models",
      "openai:gpt-4o-mini",
      "--scorer",
      "exact",
      "--routers",
      "none",
      "--json",
      "--concurrency",
      "4",
      "--store",
      join(dir, "shared.sqlite"),
      "--reports",
      join(dir, `reports-${k}`),
    ];
    const env = { OPENAI_API_KEY: "sk-shared-store-0001", OPENAI_BASE_URL: server.openaiBaseUrl };
    const runs = await Promise.all(Array.from({ length: RUNS }, (_, k) => routegateAsync(args(k), dir, env)));
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/internal error|already exists/);
      expect(r.code).toBe(0);
    }
    const summaries = runs.map((r) => onlyRun(r.stdout));
    const calls = summaries.map((s) => s.collection.providerCalls);
    process.stderr.write(
      `shared store: ${RUNS} runs, ${server.requests.length} requests for ${ITEMS} items (${calls.join(" + ")})\n`,
    );
    expect(server.requests).toHaveLength(ITEMS);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(ITEMS);
    for (const s of summaries) expect(s.collection.providerCalls + s.collection.fromStore).toBe(ITEMS);
  }, 150_000);
});
