import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// The real CLI in a child process, with an environment built from nothing: only the planted
// keys and base URLs the trial names (all on 127.0.0.1), so no real key or endpoint of the
// machine running the suite can be reached, and no CI job summary is written.

const BIN = fileURLToPath(new URL("../bin/routegate.mjs", import.meta.url));
const running = new Set<ChildProcess>();

/** Kills every CLI process still running (the suite's time bound). */
export function killAll(): void {
  for (const child of running) child.kill("SIGKILL");
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed by the suite's own per-process time limit. */
  timedOut: boolean;
}

export interface CliProcess {
  child: ChildProcess;
  done: Promise<CliResult>;
}

export function startCli(args: string[], cwd: string, env: Record<string, string>, limitMs: number): CliProcess {
  for (const [name, value] of Object.entries(env)) {
    if (/BASE_URL$/.test(name) && !/^http:\/\/127\.0\.0\.1:\d+(\/|$)/.test(value))
      throw new Error(`chaos: ${name} must point at 127.0.0.1, got ${value}`);
  }
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? cwd,
      TMPDIR: process.env.TMPDIR ?? "/tmp",
      CI: "true",
      GITHUB_STEP_SUMMARY: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, limitMs);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, done };
}

/**
 * A crash: anything but a clean exit with one of the codes the trial allows (an internal error,
 * an unexpected code, a signal the suite did not send, the per-process time limit).
 */
export function isCrash(r: CliResult, allowed: readonly number[], killedBySuite = false): boolean {
  if (killedBySuite && r.signal === "SIGKILL" && !r.timedOut) return false;
  if (r.timedOut || r.signal !== null || r.code === null) return true;
  return /internal error/.test(r.stderr) || !allowed.includes(r.code);
}

/** What went wrong with the first crashed process, for the trial's note ("" when none crashed). */
export function crashDetail(results: Array<{ r: CliResult; allowed: readonly number[]; killed?: boolean }>): string {
  const crashed = results.find((x) => isCrash(x.r, x.allowed, x.killed ?? false));
  if (!crashed) return "";
  const { code, signal, timedOut, stderr } = crashed.r;
  return `; crash: exit ${code} signal ${signal}${timedOut ? " (time limit)" : ""}: ${stderr.trim().slice(-600)}`;
}
