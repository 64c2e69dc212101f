import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

// Starts one of routegate's own modules as a worker thread, from the compiled package (dist/, .js)
// or from a checkout's sources (.ts, as bin/routegate.mjs and the tests run them). A worker thread
// does not inherit the module hooks its parent registered at run time, so it registers its own
// first: tsx (which loads TypeScript: a checkout's sources, the user's `--routers` module) and, in
// a checkout, the hook that resolves the package's own names to their sources.

/** `name` is the module's file name without extension, beside `from` (the caller's import.meta.url). */
export function startModuleWorker(from: string, name: string, options: WorkerOptions): Worker {
  const source = from.endsWith(".ts");
  const entry = new URL(`./${name}.${source ? "ts" : "js"}`, from).href;
  const hooks = [tsxApi(from), ...(source ? [sourceCondition(from)] : [])].filter((h) => h !== undefined);
  const steps = [
    ...hooks.map((h) =>
      h.kind === "tsx"
        ? `(await import(${JSON.stringify(h.url)})).register();`
        : `(await import("node:module")).register(${JSON.stringify(h.url)});`,
    ),
    `await import(${JSON.stringify(entry)});`,
  ];
  // An `eval` worker runs a CommonJS script: the steps go in an async function, and a failure
  // rethrown outside the promise ends the thread as an uncaught error its host sees.
  const code = `(async () => { ${steps.join(" ")} })().catch((err) => { setImmediate(() => { throw err; }); });`;
  return new Worker(code, { ...options, eval: true });
}

type Hook = { kind: "tsx" | "condition"; url: string };

/** tsx's ESM registration API, where tsx is installed (it is a dependency of the package). */
function tsxApi(from: string): Hook | undefined {
  try {
    const pkgFile = createRequire(from).resolve("tsx/package.json");
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as {
      exports?: Record<string, { import?: { default?: string } }>;
    };
    const api = pkg.exports?.["./esm/api"]?.import?.default;
    return api ? { kind: "tsx", url: pathToFileURL(join(dirname(pkgFile), api)).href } : undefined;
  } catch {
    return undefined;
  }
}

/** The checkout's hook (bin/source-condition.mjs), two folders above the caller (src/<room>/). */
function sourceCondition(from: string): Hook | undefined {
  const url = new URL("../../bin/source-condition.mjs", from);
  return existsSync(fileURLToPath(url)) ? { kind: "condition", url: url.href } : undefined;
}
