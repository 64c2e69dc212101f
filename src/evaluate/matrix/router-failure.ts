import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError, RunError } from "../../core/errors.ts";

/** The step of a router's evaluation that threw. */
export type RouterStep = "score" | "fit" | "rank" | "decide";

/**
 * A router's own code threw: the router's result is a failure (its id, the item, where in its
 * source), the other routers carry on, and the run ends with exit 3 after its report is written.
 */
export class RouterFailure extends Error {
  override readonly name = "RouterFailure";
  constructor(
    readonly router: string,
    readonly step: RouterStep,
    readonly itemId: string | null,
    readonly error: string,
    readonly location: string | null,
  ) {
    super(
      `router ${router} threw in ${step}${itemId !== null ? ` on item ${itemId}` : ""}: ${error}${location ? ` (at ${location})` : ""}`,
    );
  }
}

/**
 * Wraps what a router's code threw as its failure. Bad input (InputError: a router naming a model
 * that is not a candidate) and a stopped run (RunError: a budget, missing outcomes) are not the
 * router's failure and pass through, as does a failure already wrapped.
 */
export function asRouterFailure(router: string, step: RouterStep, itemId: string | null, err: unknown): unknown {
  if (err instanceof RouterFailure || err instanceof InputError || err instanceof RunError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RouterFailure(router, step, itemId, message, sourceLocation(err));
}

/** A rank that is not a finite number: the router's own fault, reported as its failure. */
export function nonFiniteRank(router: string, itemId: string, value: number): RouterFailure {
  return new RouterFailure(router, "rank", itemId, `rank() returned ${value}; ranks must be finite numbers`, null);
}

/**
 * Where the error was thrown, read off its stack: the first frame in a file outside node_modules
 * and Node's internals, as path:line:column relative to the working directory. null when the
 * stack names none (an error thrown without a stack, or from a library only).
 */
export function sourceLocation(err: unknown, cwd = process.cwd()): string | null {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return null;
  for (const line of stack.split("\n").slice(1)) {
    // A TypeScript file outside an ESM package is compiled to CommonJS and run from a data: URL,
    // without a source map: its path is known, its line is not.
    const compiled = line.includes("data:text/javascript") ? line.match(/[?&]filePath=([^&:\s)]+)/) : null;
    if (compiled) {
      const file = decodeURIComponent(compiled[1]!).replace(/\?namespace=.*$/, "");
      return `${isAbsolute(file) ? relative(cwd, file) : file} (no line: loaded as CommonJS; "type": "module" in its package.json gives one)`;
    }
    const m = line.match(/\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/);
    if (!m) continue;
    let file = m[1]!;
    if (file.startsWith("node:") || file.includes("/node_modules/") || file.startsWith("internal/")) continue;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    const shown = isAbsolute(file) ? relative(cwd, file) : file;
    return `${shown}:${m[2]}:${m[3]}`;
  }
  return null;
}
