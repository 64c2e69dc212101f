import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/routegate.mjs", import.meta.url));
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `routegate` binary in a child process, as a user's shell would. */
export function routegate(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "true", ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same, started without waiting: for tests that act on a running CLI (kill it mid-run).
 * `done` resolves when it exits; a process killed by a signal has code -1 and `signal` set.
 */
export function spawnRoutegate(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliRun & { signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: "true", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const done = new Promise<CliRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

/** A scratch folder with no package.json: eval files there must still load (as ESM or CommonJS). */
export function tempDir(prefix = "rg-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
