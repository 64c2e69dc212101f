import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bundleProblems, exportTargets, tarballProblems } from "../../devkit/pack/tarball-rules.ts";

// What `npm pack` would put in each package, as npm itself lists it. --ignore-scripts: no build
// here (`npm run e2e:pack` packs and checks the built tarballs); the file lists come from each
// package's `files`, which is what keeps tests, reports, dev tools and data out.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function packList(args: string[]): { name: string; files: string[] } {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, npm_config_loglevel: "silent" },
  });
  const [pack] = JSON.parse(out) as Array<{ name: string; files: Array<{ path: string }> }>;
  return { name: pack!.name, files: pack!.files.map((f) => f.path) };
}

describe("npm pack", () => {
  it("routegate ships its bin, built files and docs, and no test, report, dev tool, source or data file", () => {
    const { name, files } = packList([]);
    expect(name).toBe("routegate");
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md", "bin/routegate.mjs"]));
    expect(tarballProblems(name, files)).toEqual([]);
  });

  it("@routegate/runtime ships its package.json, README and built files only", () => {
    const { name, files } = packList(["-w", "@routegate/runtime"]);
    expect(name).toBe("@routegate/runtime");
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md"]));
    expect(tarballProblems(name, files)).toEqual([]);
  });

  it("the rules refuse what must not ship", () => {
    const planted = [
      "test/e2e/cli.ts",
      "reports/.gitkeep",
      "devkit/fake-provider/server.ts",
      "bench/index.ts",
      "datasets/math/items.jsonl",
      "src/index.ts",
      "dist/gate/pr-comment.test.js",
      "dist/outcomes.sqlite",
      "dist/notes.md",
    ];
    expect(tarballProblems("routegate", planted)).toHaveLength(planted.length);
    expect(tarballProblems("@routegate/runtime", ["build-meta.json", "src/index.ts"])).toHaveLength(2);
  });

  it("the runtime's bundle rules refuse evaluation code and foreign packages, and pass the runtime's own", () => {
    const clean = [
      "src/index.ts",
      "../../src/runtime/lean.ts",
      "../../src/providers/openai/chat.ts",
      "../../src/routing/builtin/cascade.ts",
      "../../node_modules/zod/v4/core/core.js",
      "../../node_modules/safe-stable-stringify/index.js",
    ];
    const planted = [
      "../../src/providers/offline/sim.ts",
      "../../src/providers/openai/batch.ts",
      "../../src/providers/tokens.ts",
      "../../src/providers/registry.ts",
      "../../src/store/outcome-store.ts",
      "../../src/cli/main.ts",
      "../../node_modules/better-sqlite3/lib/index.js",
      "../../node_modules/openai/index.mjs",
    ];
    expect(bundleProblems(clean)).toEqual([]);
    expect(bundleProblems([...clean, ...planted])).toEqual(planted);
  });

  it("every entry point's built file and types are where the built package puts them", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const targets = exportTargets(pkg.exports);
    expect(targets).toContain("dist/runtime/index.js");
    expect(targets).toContain("dist/runtime/index.d.ts");
    // Each built target is the compiled twin of its source-condition file.
    for (const [entry, conditions] of Object.entries(pkg.exports as Record<string, unknown>)) {
      if (typeof conditions === "string") continue;
      const c = conditions as Record<string, string>;
      const source = c["@routegate/source"]!.replace(/^\.\/src\//, "").replace(/\.ts$/, "");
      expect({ entry, types: c.types, default: c.default }).toEqual({
        entry,
        types: `./dist/${source}.d.ts`,
        default: `./dist/${source}.js`,
      });
      // Conditions match in order: the source condition must come before types and default.
      expect(Object.keys(c)).toEqual(["@routegate/source", "types", "default"]);
    }
  });
});
