import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { placeholderProvenance } from "../../devkit/placeholder-provenance.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../../src/contracts/routing-config.ts";

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
/** Provider adapters and their SDKs: imported only when a config names the provider. */
const LAZY_ROOMS = [
  "src/providers/openai/",
  "src/providers/anthropic/",
  "src/providers/google/",
  "src/providers/offline/",
  "src/providers/local/",
];
const LAZY_PACKAGES = ["openai", "@anthropic-ai/sdk", "@google/genai"];

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

  it("imports no provider adapter, provider SDK, sim or replay statically (each loads when a config names it)", () => {
    const { files, packages } = importGraph(ENTRY);
    const rooms = [...files].map((f) => f.slice(ROOT.length)).filter((f) => LAZY_ROOMS.some((r) => f.startsWith(r)));
    expect(rooms).toEqual([]);
    expect([...packages].filter((p) => LAZY_PACKAGES.includes(p))).toEqual([]);
  });

  it("routes an openai-only config having loaded the openai adapter and SDK, and never anthropic, google, sim or replay", async () => {
    const server = await startFakeProvider();
    try {
      const log = join(mkdtempSync(join(tmpdir(), "routegate-boundary-")), "resolved.txt");
      // Records every module the process resolves (the hook runs off the main thread: a file carries it back).
      const hook = `data:text/javascript,${encodeURIComponent(`
        import { appendFileSync } from "node:fs";
        export async function resolve(specifier, context, next) {
          const r = await next(specifier, context);
          appendFileSync(${JSON.stringify(log)}, r.url + "\\n");
          return r;
        }`)}`;
      const register = `data:text/javascript,${encodeURIComponent(`import { register } from "node:module"; register(${JSON.stringify(hook)});`)}`;
      const config: RoutingConfig = {
        schemaVersion: ROUTING_CONFIG_VERSION,
        router: { id: "always:openai:gpt-4o-mini", params: { model: "openai:gpt-4o-mini" } },
        models: [{ id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini" }],
        twoTier: null,
        provenance: placeholderProvenance("boundary"),
      };
      const script = `
        const { createRouter } = await import(${JSON.stringify(ENTRY)});
        const router = createRouter(${JSON.stringify(JSON.stringify(config))}, { routers: [] });
        const d = await router.route({ id: "r1", input: "hi", request: { messages: [{ role: "user", content: "hi" }], maxTokens: 8 } });
        console.log(d.model);`;
      // Asynchronous: the fake server answers from this process's event loop.
      const child = spawn(
        process.execPath,
        ["--import", register, "--import", "tsx", "--input-type=module", "-e", script],
        {
          cwd: ROOT,
          env: { ...process.env, OPENAI_API_KEY: "sk-boundary-test", OPENAI_BASE_URL: server.openaiBaseUrl },
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => (stdout += c));
      child.stderr.on("data", (c) => (stderr += c));
      const status = await new Promise<number | null>((done) => child.on("close", done));
      expect(stderr).toBe("");
      expect(status).toBe(0);
      expect(stdout.trim()).toBe("openai:gpt-4o-mini");
      expect(server.requests).toHaveLength(1);

      const resolved = readFileSync(log, "utf8").split("\n").filter(Boolean);
      const root = new URL(`file://${ROOT}`).href;
      const rooms = resolved.filter((u) => u.startsWith(root)).map((u) => u.slice(root.length));
      const pkgs = resolved.filter((u) => u.includes("/node_modules/")).map((u) => packageOf(u));
      // The positive control: what the config names was loaded, through this very hook.
      expect(rooms).toContain("src/providers/openai/chat.ts");
      expect(pkgs).toContain("openai");
      // Embedding code loads only when a router embeds: this one never does.
      expect(rooms.filter((f) => f.startsWith("src/") && /embed|knn/.test(f))).toEqual([]);
      expect(
        rooms.filter((f) => LAZY_ROOMS.some((r) => f.startsWith(r)) && !f.startsWith("src/providers/openai/")),
      ).toEqual([]);
      expect(pkgs.filter((p) => p === "@anthropic-ai/sdk" || p === "@google/genai")).toEqual([]);
    } finally {
      await server.close();
    }
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

/** The package a node_modules URL belongs to (the last node_modules segment, scoped names whole). */
function packageOf(url: string): string {
  const rest = url.slice(url.lastIndexOf("/node_modules/") + "/node_modules/".length).split("/");
  return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
}
