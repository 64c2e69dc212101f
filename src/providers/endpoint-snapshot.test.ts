import { describe, expect, it } from "vitest";
import { parseModelSpec } from "../contracts/model-spec.ts";
import { createAnthropicProvider } from "./anthropic/chat.ts";
import { createGoogleProvider } from "./google/chat.ts";
import { createOpenAIProvider } from "./openai/chat.ts";

// Issue 10 item 9: a judge's cached verdicts must not be reused from another endpoint. The
// snapshot (part of every request hash) names the endpoint a model resolves to, whether the spec
// or the SDK's environment variable chose it.

const cases = [
  { make: createOpenAIProvider, spec: "openai:gpt-4o", env: "OPENAI_BASE_URL", def: "https://api.openai.com/v1" },
  {
    make: createAnthropicProvider,
    spec: "anthropic:claude-x",
    env: "ANTHROPIC_BASE_URL",
    def: "https://api.anthropic.com",
  },
  {
    make: createGoogleProvider,
    spec: "google:gemini-x",
    env: "GOOGLE_GEMINI_BASE_URL",
    def: "https://generativelanguage.googleapis.com",
  },
] as const;

describe("provider snapshots name the resolved endpoint", () => {
  for (const c of cases) {
    it(`${c.spec}: ${c.env} is part of the cache identity`, () => {
      const spec = parseModelSpec(c.spec);
      const snap = (env: Record<string, string>) => c.make({ env }).snapshot(spec);
      const plain = snap({});
      expect(snap({ [c.env]: c.def })).toBe(plain);
      const a = snap({ [c.env]: "http://127.0.0.1:9001/v1" });
      const b = snap({ [c.env]: "http://127.0.0.1:9002/v1" });
      expect(new Set([plain, a, b]).size).toBe(3);
      expect(a).toContain("http://127.0.0.1:9001/v1");
      // A spec's own base URL wins over the environment, as in the SDK call.
      expect(
        c.make({ env: { [c.env]: "http://127.0.0.1:9001/v1" } }).snapshot({ ...spec, baseUrl: "http://x.test/v1" }),
      ).toBe(c.make({}).snapshot({ ...spec, baseUrl: "http://x.test/v1" }));
    });
  }
});
