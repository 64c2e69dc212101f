import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoPlace, keyEchoReply, presentedCredential } from "../../devkit/fake-provider/key-echo.ts";
import { type FakeProvider, lastUserText, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { replyFor } from "../../devkit/fake-provider/wire.ts";
import { REDACTED_KEY } from "../../src/providers/scrub/secret-scrubber.ts";
import type { CliRun } from "./cli.ts";
import { tempDir } from "./cli.ts";
import { routegateAsync } from "./cli-async.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// Issue 10, item 1: a provider that echoes the caller's key, in a 4xx body, in an error object of
// a 200 reply and in a 200 answer, for openai, anthropic and google, a model whose key comes from
// its own `apiKeyEnv`, and a judge that quotes the key in its verdict. The real CLI runs an eval,
// exports its routing config and runs again from the store (and once more through the batch
// APIs); then every file written and everything printed is searched for every key: none.

const salt = Math.random().toString(36).slice(2, 10);
const KEYS = {
  OPENAI_API_KEY: `sk-echo-openai-${salt}`,
  ANTHROPIC_API_KEY: `sk-ant-echo-${salt}`,
  GEMINI_API_KEY: `AIza-echo-gemini-${salt}`,
  TEAM_LLM_KEY: `team-echo-key-${salt}`,
};
const PLACES: Record<string, EchoPlace> = { q1: "4xx", q2: "200-error", q3: "200-answer" };
const CANDIDATES = ["openai:gpt-4o-mini", "anthropic:claude-3-5-haiku-20241022", "google:gemini-2.0-flash", "team-gpt"];

let server: FakeProvider;
let dir: string;
const printed: CliRun[] = [];

beforeAll(async () => {
  server = await startFakeProvider({
    // The batch endpoints answer from here: the item that echoes in its answer quotes a key too.
    text: (question) => {
      const id = /item (q\d)/.exec(question)?.[1] ?? "";
      return PLACES[id] === "200-answer" ? `batched, with ${KEYS.OPENAI_API_KEY} and ${KEYS.GEMINI_API_KEY}` : "Paris";
    },
    usage: () => ({ prompt: 60, cached: 0, output: 4 }),
  });
  server.setResponder((req) => {
    if (req.provider === "unknown") return undefined;
    // The judge (gpt-4o) quotes the credential in its verdict's reason.
    if (req.model === "gpt-4o") {
      const text = JSON.stringify({ reason: `graded under ${presentedCredential(req)}`, score: 7 });
      return { body: replyFor("openai", { text, usage: { prompt: 300, cached: 0, output: 20 }, model: "gpt-4o" }) };
    }
    const id = /item (q\d)/.exec(lastUserText(req.provider, req.body))?.[1] ?? "";
    const place = PLACES[id];
    return place ? keyEchoReply(req, req.provider, place) : undefined;
  });
  dir = tempDir("rg-key-echo-");
  const items = Array.from({ length: 6 }, (_, i) =>
    JSON.stringify({ id: `q${i}`, input: `Capital of France? (item q${i})`, expected: "Paris" }),
  );
  writeFileSync(join(dir, "items.jsonl"), `${items.join("\n")}\n`);
  writeFileSync(
    join(dir, "echo.eval.ts"),
    `export default {
  name: "echo",
  dataset: "items.jsonl",
  models: [
    "openai:gpt-4o-mini",
    "anthropic:claude-3-5-haiku-20241022",
    "google:gemini-2.0-flash",
    { id: "team-gpt", provider: "openai", model: "team-model", apiKeyEnv: "TEAM_LLM_KEY", pricing: { input: 0.15, output: 0.6 } },
  ],
  scorer: { type: "judge-rubric", judge: "openai:gpt-4o" },
  routers: [],
};
`,
  );
});

afterAll(async () => server?.close());

const env = () => ({
  ...KEYS,
  GOOGLE_API_KEY: "",
  OPENAI_BASE_URL: server.openaiBaseUrl,
  ANTHROPIC_BASE_URL: server.rootUrl,
  GOOGLE_GEMINI_BASE_URL: server.rootUrl,
});

/**
 * The first collection runs as the real process, so everything it prints by any path is searched;
 * the later runs (export, the re-run from the store, the batch run) run in-process, their stdout,
 * stderr and console output captured and searched the same way.
 */
async function cli(args: string[], asProcess = false): Promise<CliRun> {
  const run = asProcess ? await routegateAsync(args, dir, env()) : await runCli(args, dir, env());
  printed.push(run);
  return run;
}

const evalArgs = (store: string, ...extra: string[]) => [
  "eval",
  "echo.eval.ts",
  "--json",
  "--store",
  join(dir, store),
  "--reports",
  join(dir, "reports"),
  "--max-error-share",
  "1",
  ...extra,
];

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("a provider that echoes the key (issue 10, item 1)", () => {
  it("stores, reports and prints every echo scrubbed, and marks the outcomes redacted", async () => {
    const run = await cli(evalArgs("store.sqlite"), true);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    // Every key really travelled, and every place echoed it back.
    for (const key of Object.values(KEYS))
      expect(
        server.requests.some((r) => presentedCredential(r).includes(key)),
        key,
      ).toBe(true);
    const echoed = server.requests.filter((r) => JSON.stringify(r.reply?.body ?? "").includes(salt));
    expect(echoed.length).toBeGreaterThanOrEqual(3 * CANDIDATES.length);

    const summary = onlyRun(run.stdout);
    // Per candidate: the 4xx and the 200 error object are failures; the 200 answer is a redacted answer.
    expect(summary.collection.errors).toBe(2 * CANDIDATES.length);
    const failures = summary.collection.failures ?? [];
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.redacted).toBe(true);
      expect(f.error).toContain(REDACTED_KEY);
    }
    // Answers and errors of the 4 candidates on q1-q3, and the judge's verdicts that quoted the key.
    expect(summary.collection.redacted).toBeGreaterThanOrEqual(3 * CANDIDATES.length);
    // Up to 10 are listed, one line per model, item and role; the count covers them all.
    expect(summary.collection.redactedOutcomes).toHaveLength(10);
    expect(summary.collection.redactedOutcomes).toContainEqual({
      model: "anthropic:claude-3-5-haiku-20241022",
      itemId: "q3",
      role: "answer",
    });
    const md = readFileSync(join(dir, "reports", "echo", "latest", "report.md"), "utf8");
    expect(md).toMatch(/\*\*\d+ outcome\(s\) redacted\*\*/);
    const html = readFileSync(join(dir, "reports", "echo", "latest", "report.html"), "utf8");
    expect(html).toContain('id="redacted"');

    // In the store: each candidate's echoed answer on q3 is kept, scrubbed and flagged.
    const db = new Database(join(dir, "store.sqlite"), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT model_id, output FROM outcomes WHERE item_id = 'q3' AND role = 'answer' AND redacted = 1")
        .all() as { model_id: string; output: string }[];
      expect(rows.map((r) => r.model_id).sort()).toEqual([...CANDIDATES].sort());
      for (const r of rows) expect(r.output).toContain(`Here is what you sent me: `);
      for (const r of rows) expect(r.output).toContain(REDACTED_KEY);
    } finally {
      db.close();
    }
  });

  it("exports the routing config and re-runs from the store without a request", async () => {
    const out = join(dir, "routing.config.json");
    const exported = await cli([
      "export",
      "--eval",
      "echo.eval.ts",
      "--router",
      "always:openai:gpt-4o-mini",
      "--reports",
      join(dir, "reports"),
      "--out",
      out,
    ]);
    expect(exported.code).toBe(0);
    const before = server.requests.length;
    const again = await cli(evalArgs("store.sqlite"));
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(before);
    const summary = onlyRun(again.stdout);
    expect(summary.collection.providerCalls).toBe(0);
    expect(summary.collection.redacted).toBeGreaterThanOrEqual(3 * CANDIDATES.length);
  });

  it("scrubs batch results too (--batch)", async () => {
    const run = await cli(evalArgs("batch.sqlite", "--batch", "--batch-poll-ms", "5"));
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    expect(server.batches.submissions.length).toBeGreaterThan(0);
    const summary = onlyRun(run.stdout);
    expect(summary.collection.redactedOutcomes?.some((o) => o.itemId === "q3" && o.role === "answer")).toBe(true);
  });

  it("leaves no key in any file written (store, WAL, reports, exported config) or anything printed", () => {
    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith("store.sqlite"))).toBe(true);
    expect(files.some((f) => f.endsWith("summary.json"))).toBe(true);
    expect(files.some((f) => f.endsWith("report.md"))).toBe(true);
    expect(files.some((f) => f.endsWith("report.html"))).toBe(true);
    expect(files.some((f) => f.endsWith("routing.config.json"))).toBe(true);
    let hits = 0;
    for (const file of files) {
      const content = readFileSync(file).toString("latin1");
      for (const key of Object.values(KEYS)) if (content.includes(key)) hits++;
    }
    for (const run of printed)
      for (const key of Object.values(KEYS)) if (`${run.stdout}\n${run.stderr}`.includes(key)) hits++;
    expect(hits).toBe(0);
    // The marker did land where the keys were (so the search above looked at the right text).
    const stored = files.filter((f) => /store\.sqlite(-wal)?$/.test(f)).map((f) => readFileSync(f).toString("latin1"));
    expect(stored.join("").includes(REDACTED_KEY)).toBe(true);
  });
});
