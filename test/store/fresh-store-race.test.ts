import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.ts";

// Issue 10, item 7: parallel runs opening one fresh store raced its migration ("table outcomes
// already exists"). Several real processes open the same new file at the same instant.

const SCRIPT = fileURLToPath(new URL("./open-at.ts", import.meta.url));
const PROCESSES = 4;
const TRIALS = 3;

/** Starts one opener: `ready` resolves once it has loaded its modules, `open(at)` releases it. */
function opener(path: string) {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, path], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    if (out.startsWith("ready\n")) onReady();
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on("error", reject);
    // A child that died before it was ready reports its output as the outcome.
    child.on("close", () => {
      onReady();
      resolve(out.replace(/^ready\n/, "").trim());
    });
  });
  return { ready, done, open: (at: number) => child.stdin.end(`${at}\n`) };
}

describe("a fresh store opened by several processes at once", () => {
  it("is migrated exactly once: every process opens it at the latest version", async () => {
    const outcomes: string[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const path = join(mkdtempSync(join(tmpdir(), "rg-race-")), "outcomes.sqlite");
      const openers = Array.from({ length: PROCESSES }, () => opener(path));
      // Every process has loaded its modules: all open the store at the same instant.
      await Promise.all(openers.map((o) => o.ready));
      const at = Date.now() + 100;
      for (const o of openers) o.open(at);
      outcomes.push(...(await Promise.all(openers.map((o) => o.done))));
    }
    const failed = outcomes.filter((o) => o !== `ok ${MIGRATIONS.length}`);
    expect(failed).toEqual([]);
  }, 180_000);
});
