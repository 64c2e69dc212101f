import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../contracts/model-spec.ts";
import type { RequestIdentity } from "../core/types.ts";
import { networkProviderLoader } from "./network-loader.ts";
import { withOfflineProviders } from "./offline-loader.ts";
import { lazyProviderSource, registryProviderSource } from "./provider-source.ts";
import { createProviderRegistry, type ProviderRegistry } from "./registry.ts";

const env = {
  OPENAI_API_KEY: "k-openai",
  OPENAI_ADMIN_KEY: "k-admin",
  ANTHROPIC_API_KEY: "k-anthropic",
  ANTHROPIC_AUTH_TOKEN: "k-token",
  GEMINI_API_KEY: "k-gemini",
  GOOGLE_API_KEY: "k-google",
  VLLM_API_KEY: "k-vllm",
  TEAM_KEY: "k-team",
  UNRELATED: "not-a-key",
};
const models: ModelSpec[] = [
  { id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini", apiKeyEnv: "TEAM_KEY" },
  { id: "sim:cheap", provider: "sim", model: "cheap" },
];

const IDENTITY: RequestIdentity = { itemId: "i1", role: "embed", sample: 0, parents: [] };

describe("provider sources", () => {
  it("the lazy source scrubs the same keys as the full registry, without building any provider", () => {
    const lazy = lazyProviderSource(networkProviderLoader({ env }), env).secrets(models);
    const full = registryProviderSource(createProviderRegistry([], { hosted: { env } })).secrets(models);
    expect([...new Set(lazy)].sort()).toEqual([...new Set(full)].sort());
    expect(lazy).toContain("k-team");
    expect(lazy).not.toContain("not-a-key");
  });

  it("builds a provider once, when first asked, and only the one asked for", async () => {
    const source = lazyProviderSource(withOfflineProviders(networkProviderLoader({ env })), env);
    const first = source.provider("anthropic");
    expect(source.provider("anthropic")).toBe(first);
    const anthropic = await first;
    expect(anthropic.id).toBe("anthropic");
    expect((await source.provider("sim")).offline).toBe(true);
  });

  it("the production loader serves the keyless local embedder, with no SDK to install, as an embedder only", async () => {
    const loader = networkProviderLoader({ env }, () => false);
    expect(loader.unavailable("local")).toBeUndefined();
    expect(loader.unavailable("openai")?.fix).toMatch(/npm install openai/);
    const local = await loader.load("local");
    expect(local.embedOnly).toBe(true);
    const spec = { id: "local:hashed-tfidf", provider: "local", model: "hashed-tfidf" } as const;
    const { vector } = await local.embed!(spec, { input: "refund my invoice" }, { identity: IDENTITY });
    expect(vector.length).toBeGreaterThan(0);
  });

  it("a registry without the provider refuses at once, as a lookup does", () => {
    const empty: ProviderRegistry = {
      get: ((name: string) => {
        throw new Error(`unknown provider "${name}"`);
      }) as ProviderRegistry["get"],
      has: () => false,
      names: () => [],
    };
    expect(() => registryProviderSource(empty).provider("openai")).toThrow(/unknown provider "openai"/);
  });
});
