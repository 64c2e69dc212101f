import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { spawnRoutegate, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// Budget, error share and crash safety, through the real CLI. Each test spawns the CLI two or three
// times; on a loaded two-core machine one spawn can take 10 s.
const SLOW = 150_000;

function writeDataset(dir: string, n: number): string {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `q${i}`, input: `What is the capital of country number ${i}?`, expected: `City${i}` }),
  );
  const file = join(dir, "caps.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const run = (dir: string, dataset: string, models: string, extra: string[] = []) => [
  "eval",
  "--dataset",
  dataset,
  "--models",
  models,
  "--scorer",
  "exact",
  "--routers",
  "none",
  "--store",
  join(dir, "store.sqlite"),
  "--reports",
  join(dir, "reports"),
  "--json",
  ...extra,
];

/** Rows in the store, read as another process would; null while it does not exist yet. */
function storedRows(path: string): { rows: number; uniq: number } | null {
  if (!existsSync(path)) return null;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return db.prepare("SELECT COUNT(*) AS rows, COUNT(DISTINCT hash) AS uniq FROM outcomes").get() as {
      rows: number;
      uniq: number;
    };
  } catch {
    return null; // not migrated yet, or busy
  } finally {
    db?.close();
  }
}

describe("routegate eval --max-cost", () => {
  it(
    "stops with exit 3 before passing the cap, keeps what it collected, and a rerun finishes the rest",
    async () => {
      const dir = tempDir();
      const dataset = writeDataset(dir, 40);
      const models = "sim:cheap,sim:flagship";
      const full = onlyRun((await runCli(run(tempDir(), dataset, models), dir)).stdout);
      const total = full.collection.spentUsd!;
      expect(full.collection.providerCalls).toBe(80);
      expect(total).toBeGreaterThan(0);

      const cap = total / 2;
      const stopped = await runCli(run(dir, dataset, models, ["--max-cost", String(cap)]), dir);
      expect(stopped.code).toBe(3);
      expect(stopped.stderr).toMatch(
        /run failed: eval caps: stopped at the --max-cost budget of \$[0-9.e-]+: spent \$/,
      );
      expect(stopped.stderr).toMatch(/reserved \$0 /);
      const spent = Number(/spent \$([0-9.e-]+)/.exec(stopped.stderr)![1]);
      expect(spent).toBeLessThanOrEqual(cap);
      const kept = storedRows(join(dir, "store.sqlite"))!;
      expect(kept.rows).toBeGreaterThan(0);
      expect(kept.rows).toBeLessThan(80);

      const resumed = onlyRun((await runCli(run(dir, dataset, models), dir)).stdout);
      expect(resumed.collection).toMatchObject({
        providerCalls: 80 - kept.rows,
        fromStore: kept.rows,
        budgetUsd: null,
      });
    },
    SLOW,
  );
});

describe("routegate eval --max-error-share", () => {
  it(
    "writes the report with its errors, then fails with exit 3 when too many outcomes are errors",
    async () => {
      const dir = tempDir();
      const dataset = writeDataset(dir, 20);
      const outcomes = join(dir, "outcomes.jsonl");
      writeFileSync(
        outcomes,
        Array.from({ length: 20 }, (_, i) =>
          JSON.stringify(
            i % 5 === 0
              ? { itemId: `q${i}`, model: "m", output: "", error: `upstream said no to q${i}`, costUsd: 0 }
              : { itemId: `q${i}`, model: "m", output: `City${i}`, costUsd: 0.001 },
          ),
        ).join("\n"),
      );
      const failing = await runCli(run(dir, dataset, `replay:m@${outcomes}`), dir);
      expect(failing.code).toBe(3);
      expect(failing.stderr).toMatch(/4 of 20 outcomes are errors \(20\.0%\), above --max-error-share 0\.1/);
      const summary = onlyRun(failing.stdout);
      expect(summary.collection.failures?.map((f) => f.itemId)).toEqual(["q0", "q10", "q15", "q5"]);
      const md = readFileSync(join(dir, "reports", "caps", "latest", "report.md"), "utf8");
      expect(md).toContain("### Errors (4 of 4, by model and item)");
      expect(md).toMatch(/- replay:m · q10 \(answer\): <code>recorded\\_error<\/code> .*upstream said no to q10/);

      const tolerant = await runCli(run(dir, dataset, `replay:m@${outcomes}`, ["--max-error-share", "0.25"]), dir);
      expect(tolerant.code).toBe(0);
    },
    SLOW,
  );
});

describe("crash safety", () => {
  it(
    // The sim is offline: its answers are committed in blocks (at most a second after the first of
    // one), so what a kill loses is the calls in flight and the block held; paid answers lose only
    // the calls in flight (the chaos suite).
    "a SIGKILLed offline run loses at most its calls in flight and its held block, and the next run repeats no completed call",
    async () => {
      const dir = tempDir();
      const dataset = writeDataset(dir, 60);
      const store = join(dir, "store.sqlite");
      const models = "sim:cheap,sim:flagship";
      const concurrency = 4;
      const { child, done } = spawnRoutegate(run(dir, dataset, models, ["--concurrency", String(concurrency)]), dir, {
        ROUTEGATE_SIM_DELAY_MS: "150",
      });
      let beforeKill = 0;
      for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
        beforeKill = storedRows(store)?.rows ?? 0;
        if (beforeKill >= 20) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(beforeKill).toBeGreaterThanOrEqual(20);
      child.kill("SIGKILL");
      const killed = await done;
      expect(killed.signal).toBe("SIGKILL");

      const afterKill = storedRows(store)!;
      expect(afterKill.rows).toBe(afterKill.uniq);
      expect(afterKill.rows).toBeGreaterThanOrEqual(beforeKill);
      expect(afterKill.rows).toBeLessThan(120);
      // Between the poll and the kill only the calls then in flight (and perhaps one more round) finish.
      expect(afterKill.rows - beforeKill).toBeLessThanOrEqual(3 * concurrency);

      const resumed = await runCli(run(dir, dataset, models), dir);
      expect(resumed.code).toBe(0);
      const summary = onlyRun(resumed.stdout);
      expect(summary.collection.fromStore).toBe(afterKill.rows);
      expect(summary.collection.providerCalls).toBe(120 - afterKill.rows);
      expect(summary.models.map((m) => m.quality).every((q) => q >= 0)).toBe(true);
      const final = storedRows(store)!;
      expect(final).toEqual({ rows: 120, uniq: 120 });
      process.stderr.write(
        `kill-resume: ${beforeKill} rows at the poll, ${afterKill.rows} after SIGKILL, ${summary.collection.providerCalls} calls on resume\n`,
      );
    },
    SLOW,
  );
});
