import { createRequire } from "node:module";
import { format } from "node:util";
import { main } from "../../src/cli/main.ts";
import type { CliRun } from "./cli.ts";

/**
 * Runs `routegate` inside the test process: the same `main(argv)` bin/routegate.mjs calls, with
 * the working folder, environment, stdout and stderr a child process would have, and its exit code.
 * It saves a Node start and a tsx compile of the CLI per call (about a second each on two cores),
 * so the end-to-end tests use it wherever the process boundary is not what they test; the few that
 * test it (signals, processes sharing a store, the bin itself, everything a process prints) spawn
 * the real binary with routegate() from cli.ts.
 *
 * Calls are queued: the working folder, environment and output streams are the process's own.
 * Vitest's `forks` pool (vitest.config.ts) gives each test file its own process, so chdir is allowed.
 */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const run = queue.then(() => runNow(args, cwd, env));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();

// Eval files outside an ESM package are compiled as CommonJS, and what they require (a JSON file
// the test rewrites between runs) stays in Node's CommonJS cache. A child process starts with an
// empty one: each run forgets the user's files it loaded, so the next run reads them afresh.
const cjsCache = createRequire(import.meta.url).cache;

type Write = typeof process.stdout.write;
const CONSOLE_METHODS = ["log", "info", "debug", "warn", "error"] as const;

async function runNow(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const restore = {
    cwd: process.cwd(),
    env: { ...process.env },
    out: process.stdout.write,
    err: process.stderr.write,
    exitCode: process.exitCode,
    console: CONSOLE_METHODS.map((m) => [m, console[m]] as const),
    cjsLoaded: new Set(Object.keys(cjsCache)),
  };
  const capture =
    (append: (s: string) => void): Write =>
    (chunk: unknown, ...rest: unknown[]) => {
      append(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    };
  // As a shell would start it: CI=true (no progress bars), the caller's variables on top.
  Object.assign(process.env, { CI: "true" }, env);
  process.chdir(cwd);
  process.stdout.write = capture((s) => {
    stdout += s;
  });
  process.stderr.write = capture((s) => {
    stderr += s;
  });
  // A console call in a child would reach its stdout (log, info, debug) or stderr (warn, error).
  for (const m of CONSOLE_METHODS) {
    console[m] = (...parts: unknown[]) => {
      const line = `${format(...parts)}\n`;
      if (m === "warn" || m === "error") stderr += line;
      else stdout += line;
    };
  }
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = restore.out;
    process.stderr.write = restore.err;
    for (const [m, fn] of restore.console) console[m] = fn;
    process.chdir(restore.cwd);
    for (const key of Object.keys(process.env)) if (!(key in restore.env)) delete process.env[key];
    Object.assign(process.env, restore.env);
    process.exitCode = restore.exitCode;
    for (const key of Object.keys(cjsCache)) {
      if (!restore.cjsLoaded.has(key) && !key.includes("/node_modules/")) delete cjsCache[key];
    }
  }
}
