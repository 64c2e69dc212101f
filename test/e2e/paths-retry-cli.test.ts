import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, lastUserText, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// Issue 10, low: wrong paths for --store and export --out are bad input (exit 2 naming the path
// and the fix), never an internal error; a run refused for bad input leaves no store behind; a
// stored bad_response no longer fails every later run (bounded retry, --retry-failed).

function dataset(dir: string, n = 5): string {
  const file = join(dir, "items.jsonl");
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `q${i}`, input: `Q${i}?`, expected: "ok" }));
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const adhoc = (dir: string, store: string, scorer = "exact") => [
  "eval",
  "--dataset",
  dataset(dir),
  "--models",
  "sim:cheap",
  "--scorer",
  scorer,
  "--routers",
  "none",
  "--quiet",
  "--store",
  store,
  "--reports",
  join(dir, "reports"),
];

describe("--store paths", () => {
  it("refuses a folder, a path below a file and a file that is not a store, with exit 2 and the fix", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "folder"));
    writeFileSync(join(dir, "plain.txt"), "not a database, just text\n");
    const cases: Array<[string, RegExp]> = [
      [
        "folder",
        /--store\): folder is a folder, not a file\. Fix: name a file, e\.g\. --store folder\/outcomes\.sqlite/,
      ],
      [
        "plain.txt/s.sqlite",
        /plain\.txt is a file, so no folder can exist below it\. Fix: point --store at a path outside/,
      ],
      ["plain.txt", /plain\.txt is not a routegate outcome store/],
    ];
    for (const [store, message] of cases) {
      const r = await runCli(adhoc(dir, store), dir);
      expect(r.stderr, store).not.toMatch(/internal error/);
      expect(r.stderr, store).toMatch(message);
      expect(r.code, store).toBe(2);
    }
    expect(readFileSync(join(dir, "plain.txt"), "utf8")).toBe("not a database, just text\n");
  }, 120_000);

  it("a run refused for bad input leaves no store file behind", async () => {
    const dir = tempDir();
    const r = await runCli(adhoc(dir, join(dir, "new", "outcomes.sqlite"), "no-such-scorer"), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown scorer "no-such-scorer"/);
    expect(existsSync(join(dir, "new"))).toBe(false);
  }, 60_000);
});

describe("export --out", () => {
  it("creates a missing folder, and refuses a folder or a path below a file with exit 2", async () => {
    const dir = tempDir();
    dataset(dir, 12);
    writeFileSync(
      join(dir, "small.eval.ts"),
      `import { lengthRouter } from ${JSON.stringify(join(ROOT, "src/routing/index.ts"))};
export default { name: "small", dataset: "items.jsonl", models: ["sim:cheap", "sim:flagship"], scorer: "exact",
  routers: [lengthRouter({ weak: "sim:cheap", strong: "sim:flagship", threshold: 30 })] };
`,
    );
    const store = ["--store", join(dir, "s.sqlite"), "--reports", join(dir, "reports"), "--quiet"];
    expect((await runCli(["eval", "small.eval.ts", ...store], dir)).code).toBe(0);
    const exportTo = async (out: string) =>
      await runCli(
        ["export", "--eval", "small.eval.ts", "--router", "length", "--reports", "reports", "--out", out],
        dir,
      );
    const created = await exportTo(join("deploy", "prod", "routing.config.json"));
    expect(created.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "deploy", "prod", "routing.config.json"), "utf8")).router.id).toBe(
      "length",
    );
    const intoFolder = await exportTo("deploy");
    expect(intoFolder.code).toBe(2);
    expect(intoFolder.stderr).toMatch(/--out\): deploy is a folder, not a file\. Fix: name a file/);
    writeFileSync(join(dir, "afile"), "x");
    const belowFile = await exportTo(join("afile", "routing.config.json"));
    expect(belowFile.code).toBe(2);
    expect(belowFile.stderr).toMatch(/afile is a file, so no folder can exist below it/);
  }, 120_000);
});

describe("a stored bad_response", () => {
  let server: FakeProvider;
  beforeAll(async () => {
    server = await startFakeProvider();
  });
  afterAll(async () => server?.close());

  it("is retried once by the next run, then kept, and --retry-failed collects it again", async () => {
    const dir = tempDir();
    const file = dataset(dir);
    let garbage = true;
    server.setResponder((req) =>
      garbage && lastUserText("openai", req.body).includes("Q0") ? { raw: '{"choices": [' } : undefined,
    );
    const args = (...extra: string[]) => [
      "eval",
      "--dataset",
      file,
      "--models",
      "openai:gpt-4o-mini",
      "--scorer",
      "exact",
      "--routers",
      "none",
      "--json",
      "--store",
      join(dir, "s.sqlite"),
      "--reports",
      join(dir, "reports"),
      ...extra,
    ];
    const env = { OPENAI_API_KEY: "sk-retry-failed-0001", OPENAI_BASE_URL: server.openaiBaseUrl };
    const requestsOf = async (...extra: string[]) => {
      const before = server.requests.length;
      const r = await runCli(args(...extra), dir, env);
      expect(r.stderr).not.toMatch(/internal error/);
      return { r, requests: server.requests.length - before, summary: onlyRun(r.stdout) };
    };
    const first = await requestsOf();
    expect(first.requests).toBe(5);
    expect(first.r.code).toBe(3); // 1 of 5 outcomes failed: above --max-error-share 0.1
    const second = await requestsOf();
    expect(second.requests).toBe(1);
    garbage = false;
    const third = await requestsOf();
    expect(third.requests).toBe(0);
    expect(third.summary.collection.failures?.[0]).toMatchObject({ itemId: "q0", code: "bad_response" });
    const fourth = await requestsOf("--retry-failed");
    expect(fourth.requests).toBe(1);
    expect(fourth.r.code).toBe(0);
    expect(fourth.summary.collection.failures ?? []).toEqual([]);
    expect(readdirSync(join(dir, "reports")).length).toBeGreaterThan(0);
  }, 150_000);
});
