import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = resolve(ROOT, "src/runtime/index.ts");
const FORBIDDEN_PACKAGES = [
  "better-sqlite3",
  "handlebars",
  "yargs",
  "danger",
  "playwright-core",
  "cli-progress",
  "p-limit",
];
const FORBIDDEN_ROOMS = [
  "src/store/",
  "src/collect/",
  "src/report/",
  "src/cli/",
  "src/evaluate/",
  "src/gate/",
  "devkit/",
];

/** Every module the runtime entry reaches through static imports (type-only imports excluded). */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) {
        if (spec.endsWith(".ts")) queue.push(resolve(dirname(file), spec));
      } else if (!spec.startsWith("node:")) {
        packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
      }
    }
  }
  return { files, packages };
}

describe("the runtime import boundary", () => {
  it("reaches none of the store, collector, report, CLI or CI-only packages (lint over the import graph)", () => {
    const { files, packages } = importGraph(ENTRY);
    expect(files.size).toBeGreaterThan(5);
    const rooms = [...files]
      .map((f) => f.slice(ROOT.length))
      .filter((f) => FORBIDDEN_ROOMS.some((r) => f.startsWith(r)));
    expect(rooms).toEqual([]);
    expect([...packages].filter((p) => FORBIDDEN_PACKAGES.includes(p))).toEqual([]);
  });

  it("loads alone in a process where the forbidden packages cannot be resolved", () => {
    const hook = `data:text/javascript,${encodeURIComponent(`
      const forbidden = ${JSON.stringify(FORBIDDEN_PACKAGES)};
      export async function resolve(specifier, context, next) {
        if (forbidden.some((p) => specifier === p || specifier.startsWith(p + "/"))) throw new Error("runtime imported " + specifier);
        return next(specifier, context);
      }`)}`;
    const register = `data:text/javascript,${encodeURIComponent(`import { register } from "node:module"; register(${JSON.stringify(hook)});`)}`;
    const script = `const m = await import(${JSON.stringify(ENTRY)}); console.log(typeof m.createRouter, typeof m.parseRoutingConfig);`;
    const r = spawnSync(
      process.execPath,
      ["--import", register, "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(r.stderr).not.toMatch(/runtime imported/);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("function function");
  });
});
