import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import type { Provider } from "./provider.ts";
import { createProviderRegistry } from "./registry.ts";
import { SimProvider } from "./sim.ts";

describe("provider registry", () => {
  it("has sim and replay built in", () => {
    const registry = createProviderRegistry();
    expect(registry.get("sim")).toBeInstanceOf(SimProvider);
    expect(registry.get("replay").id).toBe("replay");
    expect(typeof registry.get("replay").preload).toBe("function");
    expect(registry.names().sort()).toEqual(["replay", "sim"]);
  });

  it("says hosted adapters arrive later and to use sim: or replay: now", () => {
    const registry = createProviderRegistry();
    for (const name of ["openai", "anthropic", "google", "vllm"] as const) {
      expect(registry.has(name)).toBe(false);
      let err: unknown;
      try {
        registry.get(name, { file: "evals/support.eval.ts", where: "models[1]" });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).file).toBe("evals/support.eval.ts");
      expect((err as InputError).where).toBe("models[1]");
      expect((err as InputError).message).toMatch(/later version/);
      expect((err as InputError).fix).toMatch(/sim:.*replay:/);
    }
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
