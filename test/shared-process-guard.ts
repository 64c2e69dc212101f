import { afterAll, beforeAll } from "vitest";

/**
 * Test files share their worker process (`isolate: false` in vitest.config.ts), so what one file
 * leaves behind, the next one starts with. A file that changes the working folder, the environment
 * or the exit code and does not put them back fails here, naming what it left, rather than making
 * some later file fail for no reason of its own.
 */
let cwd: string;
let env: Record<string, string | undefined>;
let exitCode: typeof process.exitCode;

beforeAll(() => {
  cwd = process.cwd();
  env = { ...process.env };
  exitCode = process.exitCode;
});

afterAll(() => {
  const left: string[] = [];
  if (process.cwd() !== cwd) left.push(`working folder ${process.cwd()} (was ${cwd})`);
  const keys = new Set([...Object.keys(env), ...Object.keys(process.env)]);
  for (const key of keys) if (process.env[key] !== env[key]) left.push(`environment variable ${key}`);
  if (process.exitCode !== exitCode) left.push(`process.exitCode ${process.exitCode} (was ${exitCode})`);
  if (left.length) throw new Error(`this test file did not restore what it changed: ${left.join("; ")}`);
});
