import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider, wordCount } from "../../devkit/fake-provider/server.ts";
import type { Summary } from "../../src/contracts/summary.ts";
import type { Usage } from "../../src/core/types.ts";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// A normaliser bug fixed without paying again: outcomes collected from the three hosted protocols
// keep the raw usage each provider returned; a deliberately wrong normalised usage is planted in
// the store (what a buggy normaliser would have written); `routegate store renormalise` re-derives
// usage from the raw usage, reports what changed, and the next run's costs are right again with
// no provider call.

const ITEMS = 4;
const OPENAI = "openai:gpt-4o-mini";
const ANTHROPIC = "anthropic:claude-3-5-haiku-20241022";
const GOOGLE = "google:gemini-2.0-flash";
const KEYS = {
  OPENAI_API_KEY: "sk-renorm-openai-key",
  ANTHROPIC_API_KEY: "sk-renorm-anthropic",
  GEMINI_API_KEY: "gm-renorm-gemini",
};

let server: FakeProvider;
let dir: string;

beforeAll(async () => {
  server = await startFakeProvider({
    text: (question) => `City${Number(/number (\d+)/.exec(question)?.[1] ?? -1)}`,
    usage: (question, text) => ({ prompt: 900 + 7 * wordCount(question), cached: 512, output: 2 + wordCount(text) }),
  });
  dir = tempDir("rg-renorm-");
  const lines = Array.from({ length: ITEMS }, (_, i) =>
    JSON.stringify({ id: `q${i}`, input: `Name the capital of country number ${i}.`, expected: `City${i}` }),
  );
  writeFileSync(join(dir, "capitals.jsonl"), `${lines.join("\n")}\n`);
});

afterAll(async () => server?.close());

const env = () => ({
  ...KEYS,
  GOOGLE_API_KEY: "",
  OPENAI_BASE_URL: server.openaiBaseUrl,
  ANTHROPIC_BASE_URL: server.rootUrl,
  GOOGLE_GEMINI_BASE_URL: server.rootUrl,
});

const evalArgs = (...extra: string[]) => [
  "eval",
  "--dataset",
  "capitals.jsonl",
  "--models",
  `${OPENAI},${ANTHROPIC},${GOOGLE}`,
  "--scorer",
  "exact",
  "--routers",
  "none",
  "--json",
  "--quiet",
  "--store",
  "s.sqlite",
  ...extra,
];

const costs = (summary: Summary) => Object.fromEntries(summary.models.map((m) => [m.id, m.costPer1k]));

/** Rows of the store, read with SQLite directly. */
function rows(): Array<{ hash: string; model_id: string; usage: string; usage_raw: string | null }> {
  const db = new Database(join(dir, "s.sqlite"), { readonly: true });
  try {
    return db.prepare("SELECT hash, model_id, usage, usage_raw FROM outcomes ORDER BY hash").all() as never;
  } finally {
    db.close();
  }
}

/** What buggy normalisers would have stored: OpenAI's cached tokens counted as uncached, Anthropic's output doubled. */
function plantWrongUsage(): void {
  const db = new Database(join(dir, "s.sqlite"));
  try {
    const update = db.prepare("UPDATE outcomes SET usage = ? WHERE hash = ?");
    for (const r of rows()) {
      const u = JSON.parse(r.usage) as Usage;
      if (r.model_id === OPENAI) u.input = { ...u.input, noCache: u.input.noCache + u.input.cacheRead, cacheRead: 0 };
      else if (r.model_id === ANTHROPIC) u.output = { ...u.output, text: 2 * u.output.text };
      else continue;
      update.run(JSON.stringify(u), r.hash);
    }
  } finally {
    db.close();
  }
}

describe("routegate store renormalise", () => {
  it("fixes planted wrong usage from the stored raw usage, reports it per model, and the next run's costs are right without a call", async () => {
    const first = await runCli(evalArgs(), dir, env());
    expect(first.stderr).not.toMatch(/internal error|bad input/);
    expect(first.code).toBe(0);
    const right = costs(onlyRun(first.stdout));
    expect(server.requests).toHaveLength(3 * ITEMS);

    // Every outcome kept the usage object its provider returned, in the provider's own shape.
    const stored = rows();
    expect(stored).toHaveLength(3 * ITEMS);
    const formats = stored.map((r) => (JSON.parse(r.usage_raw!) as { format: string }).format).sort();
    expect(new Set(formats)).toEqual(new Set(["anthropic", "google", "openai"]));
    const openaiRaw = JSON.parse(stored.find((r) => r.model_id === OPENAI)!.usage_raw!).usage;
    expect(openaiRaw.prompt_tokens_details.cached_tokens).toBe(512);

    plantWrongUsage();
    const wrong = await runCli(evalArgs("--offline"), dir, env());
    expect(wrong.code).toBe(0);
    const wrongCosts = costs(onlyRun(wrong.stdout));
    expect(wrongCosts[OPENAI]).toBeGreaterThan(right[OPENAI]!);
    expect(wrongCosts[ANTHROPIC]).toBeGreaterThan(right[ANTHROPIC]!);

    const fix = await runCli(["store", "renormalise", "--store", "s.sqlite", "--json"], dir, env());
    expect(fix.stderr).toBe("");
    expect(fix.code).toBe(0);
    const report = JSON.parse(fix.stdout);
    expect(report).toMatchObject({ checked: 3 * ITEMS, changed: 2 * ITEMS, unreadable: 0, dryRun: false });
    expect(report.byModel).toEqual({
      [OPENAI]: { checked: ITEMS, changed: ITEMS, unreadable: 0 },
      [ANTHROPIC]: { checked: ITEMS, changed: ITEMS, unreadable: 0 },
      [GOOGLE]: { checked: ITEMS, changed: 0, unreadable: 0 },
    });
    expect(report.examples).toHaveLength(5);
    const openaiExample = report.examples.find((e: { model: string }) => e.model === OPENAI);
    expect(openaiExample.before.input.cacheRead).toBe(0);
    expect(openaiExample.after.input.cacheRead).toBe(512);

    // Nothing left to fix; the text report says so per model.
    const again = await runCli(["store", "renormalise", "--store", "s.sqlite", "--dry-run"], dir, env());
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/12 outcome\(s\) with raw usage, 0 would change, 0 unreadable \(dry run/);
    expect(again.stdout).toContain(`  ${OPENAI}: 0 of 4 would change`);

    const requests = server.requests.length;
    const fixed = await runCli(evalArgs("--offline"), dir, env());
    expect(fixed.code).toBe(0);
    const summary = onlyRun(fixed.stdout);
    expect(summary.collection.providerCalls).toBe(0);
    for (const id of [OPENAI, ANTHROPIC, GOOGLE]) expect(costs(summary)[id], id).toBeCloseTo(right[id]!, 12);
    expect(server.requests.length).toBe(requests);
  });

  it("refuses a store that does not exist (exit 2), creating nothing", async () => {
    const run = await runCli(["store", "renormalise", "--store", "nope/s.sqlite"], dir, env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nope\/s\.sqlite: no outcome store here/);
    expect(existsSync(join(dir, "nope"))).toBe(false);
  });

  it("refuses a folder or a file that is not a store (exit 2), leaving the file as it was", async () => {
    const folder = await runCli(["store", "renormalise", "--store", "."], dir, env());
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/--store.*is a folder, not a file/);
    writeFileSync(join(dir, "notes.txt"), "not a database, just notes\n");
    const notStore = await runCli(["store", "renormalise", "--store", "notes.txt"], dir, env());
    expect(notStore.code).toBe(2);
    expect(notStore.stderr).toMatch(/notes\.txt is not a routegate outcome store/);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("not a database, just notes\n");
  });
});
