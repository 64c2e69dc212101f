import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { placeholderProvenance } from "../../devkit/placeholder-provenance.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig, RoutingConfigError } from "../../src/contracts/routing-config.ts";
import { networkProviderLoader, PROVIDER_SDKS } from "../../src/providers/network-loader.ts";
import { routerFactory } from "../../src/runtime/create-router.ts";
import { createRouter as leanCreateRouter } from "../../src/runtime/lean.ts";

// @routegate/runtime is built from src/runtime/lean.ts: what a production service installs and loads.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Every module lean.ts can ever load: static imports and dynamic import() of literal paths alike
 * (type-only imports excluded), so a provider loaded on first use counts too.
 */
function fullClosure(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8");
    const specs = [
      ...source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']/gm),
      ...source.matchAll(/(?<!typeof )\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);
    for (const spec of specs) {
      if (spec.startsWith(".")) {
        if (/\.(ts|json)$/.test(spec)) queue.push(resolve(dirname(file), spec));
      } else if (!spec.startsWith("node:")) {
        packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
      }
    }
  }
  return { files: [...files].map((f) => relative(ROOT, f)), packages };
}

function configWith(models: ModelSpec[]): RoutingConfig {
  return {
    schemaVersion: ROUTING_CONFIG_VERSION,
    router: { id: `always:${models[0]!.id}`, params: { model: models[0]!.id } },
    models,
    twoTier: null,
    provenance: placeholderProvenance("x"),
  };
}
const OPENAI: ModelSpec = { id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini" };
const ANTHROPIC: ModelSpec = { id: "anthropic:claude-3-5-haiku", provider: "anthropic", model: "claude-3-5-haiku" };

describe("@routegate/runtime's import closure", () => {
  it("can never load sim, replay, batch code, the tokenizer, the registry or a CI-only package, even lazily", () => {
    const { files, packages } = fullClosure(resolve(ROOT, "src/runtime/lean.ts"));
    // Positive control: the provider adapters are reached (through their lazy import()).
    expect(files).toContain("src/providers/openai/chat.ts");
    expect(files).toContain("src/providers/anthropic/chat.ts");
    const banned = files.filter(
      (f) =>
        f.startsWith("src/providers/offline/") ||
        /\/batch\.ts$/.test(f) ||
        /^src\/providers\/(tokens|registry|offline-loader)\.ts$/.test(f) ||
        /^src\/(store|collect|evaluate|gate|report|reporters|cli|economics|export|scoring|datasets|config)\//.test(f),
    );
    expect(banned).toEqual([]);
    expect([...packages].sort()).toEqual([
      "@anthropic-ai/sdk",
      "@google/genai",
      "openai",
      "safe-stable-stringify",
      "zod",
    ]);
  });

  it("names the SDK versions its package.json declares as optional peer dependencies", () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, "packages/runtime/package.json"), "utf8"));
    const root = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8"));
    for (const { pkg: name, range } of Object.values(PROVIDER_SDKS)) {
      expect(pkg.peerDependencies[name]).toBe(range);
      expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true });
      // The pinned version routegate is tested with is the range's floor.
      expect(range).toBe(`^${root.dependencies[name]}`);
    }
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});

describe("a config naming a provider this runtime cannot build is refused at load", () => {
  it("names the SDK package to install when it is missing", () => {
    const installed = new Set(["openai"]);
    const createRouter = routerFactory(() => networkProviderLoader({}, (pkg) => installed.has(pkg)));
    expect(() => createRouter(configWith([OPENAI]), { routers: [] })).not.toThrow();
    let error: unknown;
    try {
      createRouter(configWith([OPENAI, ANTHROPIC]), { routers: [] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RoutingConfigError);
    expect((error as Error).message).toBe(
      'routing config (models[1] "anthropic:claude-3-5-haiku", field provider): the anthropic provider needs the package "@anthropic-ai/sdk", which is not installed. Fix: npm install @anthropic-ai/sdk@^1.14.0',
    );
  });

  it("an update naming a missing SDK is refused and the last good config stays", () => {
    const createRouter = routerFactory(() => networkProviderLoader({}, (pkg) => pkg === "openai"));
    const runtime = createRouter(configWith([OPENAI]), { routers: [] });
    const refused = runtime.update(JSON.stringify(configWith([ANTHROPIC])), "routing.config.json");
    expect(refused?.message).toMatch(/routing\.config\.json .*npm install @anthropic-ai\/sdk@\^1\.14\.0/);
    expect(runtime.config.models.map((m) => m.id)).toEqual([OPENAI.id]);
  });

  it("refuses sim and replay even when the host allows offline providers: this runtime carries none", () => {
    for (const spec of [
      { id: "sim:cheap", provider: "sim", model: "cheap" },
      { id: "r", provider: "replay", model: "m", file: "outcomes.jsonl" },
    ] as ModelSpec[]) {
      expect(() => leanCreateRouter(configWith([spec]), { routers: [], allow: { offline: true } })).toThrow(
        /field provider\): ".*" is an evaluation provider .* and this runtime carries none\. Fix: .*routegate\/runtime/,
      );
    }
  });
});
