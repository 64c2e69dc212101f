import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import { SimProvider } from "./offline/sim.ts";
import type { Provider } from "./provider.ts";
import { createProviderRegistry } from "./registry.ts";

describe("provider registry", () => {
  it("has sim and replay built in", () => {
    const registry = createProviderRegistry();
    expect(registry.get("sim")).toBeInstanceOf(SimProvider);
    expect(registry.get("replay").id).toBe("replay");
    expect(typeof registry.get("replay").preload).toBe("function");
    expect(registry.names()).toContain("replay");
  });

  it("has the hosted adapters built in, constructed without any key", () => {
    const registry = createProviderRegistry([], { hosted: { env: {} } });
    expect(registry.names().sort()).toEqual(["anthropic", "google", "local", "openai", "replay", "sim", "vllm"]);
    for (const name of ["openai", "anthropic", "google", "vllm"] as const) {
      expect(registry.has(name)).toBe(true);
      expect(registry.get(name).id).toBe(name);
      expect(registry.get(name).offline).toBe(false);
    }
  });

  it("names the missing key variable in validate, with the caller's file and field", () => {
    const registry = createProviderRegistry([], { hosted: { env: {} } });
    const cases = [
      ["openai", "gpt-4o-mini", "OPENAI_API_KEY"],
      ["anthropic", "claude-3-5-haiku-20241022", "ANTHROPIC_API_KEY"],
      ["google", "gemini-2.0-flash", "GEMINI_API_KEY"],
    ] as const;
    for (const [provider, model, variable] of cases) {
      let err: unknown;
      try {
        registry
          .get(provider)
          .validate?.(
            { id: `${provider}:${model}`, provider, model },
            { file: "evals/support.eval.ts", where: "models[1]" },
          );
      } catch (e) {
        err = e;
      }
      expect(err, provider).toBeInstanceOf(InputError);
      expect((err as InputError).file).toBe("evals/support.eval.ts");
      expect((err as InputError).where).toBe("models[1]");
      expect((err as InputError).message).toContain(variable);
      expect((err as InputError).exitCode).toBe(2);
    }
  });

  it("an unknown provider is an InputError listing the known ones", () => {
    const registry = createProviderRegistry();
    expect(() => registry.get("nope" as "sim")).toThrow(/unknown provider "nope".*openai/);
  });

  it("passes the sim seed and lets extra providers register or replace", async () => {
    const fake: Provider = {
      specificationVersion: "v1",
      id: "openai",
      offline: false,
      snapshot: (m) => m.model,
      complete: async () => ({
        text: "pong",
        usage: {
          input: { noCache: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
          output: { text: 1, reasoning: 0 },
        },
        latencyMs: 1,
      }),
    };
    const registry = createProviderRegistry([fake], { sim: { seed: "s2" } });
    expect(registry.get("openai")).toBe(fake);
    expect(registry.get("sim").seed).toBe("s2");
  });
});
