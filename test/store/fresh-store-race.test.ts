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

function openAt(path: string, at: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, path, String(at)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", () => resolve(out.trim()));
  });
}

describe("a fresh store opened by several processes at once", () => {
  it("is migrated exactly once: every process opens it at the latest version", async () => {
    const outcomes: string[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const path = join(mkdtempSync(join(tmpdir(), "rg-race-")), "outcomes.sqlite");
      // Far enough ahead for every process to have loaded its modules on a busy machine.
      const at = Date.now() + 3500;
      outcomes.push(...(await Promise.all(Array.from({ length: PROCESSES }, () => openAt(path, at)))));
    }
    const failed = outcomes.filter((o) => o !== `ok ${MIGRATIONS.length}`);
    expect(failed).toEqual([]);
  }, 180_000);
});
