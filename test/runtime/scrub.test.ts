import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keyEchoReply, presentedCredential } from "../../devkit/fake-provider/key-echo.ts";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { errorReply } from "../../devkit/fake-provider/wire.ts";
import { placeholderProvenance } from "../../devkit/placeholder-provenance.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../../src/contracts/routing-config.ts";
import { ProviderError } from "../../src/providers/provider-error.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { REDACTED_KEY } from "../../src/providers/scrub/secret-scrubber.ts";
import { createRouter, type DecisionLog } from "../../src/runtime/index.ts";

// Production routing against a provider that echoes the key: the runtime wraps its providers in
// the same scrub as evaluation, so the answer, the fallback errors and the decision log carry
// the marker, never the key.

const KEYS = { openai: "sk-runtime-openai-key-0001", anthropic: "sk-ant-runtime-key-0002" };
const MODELS: RoutingConfig["models"] = [
  { id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini" },
  { id: "anthropic:claude-3-5-haiku-20241022", provider: "anthropic", model: "claude-3-5-haiku-20241022" },
];
const config: RoutingConfig = {
  schemaVersion: ROUTING_CONFIG_VERSION,
  router: { id: "always:openai:gpt-4o-mini", params: { model: "openai:gpt-4o-mini" } },
  models: MODELS,
  twoTier: null,
  provenance: placeholderProvenance("echo"),
};
const input = (id: string) => ({
  id,
  input: "Capital of France?",
  request: { messages: [{ role: "user" as const, content: "Capital of France?" }], maxTokens: 16 },
});
const noKey = (text: string) => Object.values(KEYS).every((k) => !text.includes(k));

let server: FakeProvider;
beforeAll(async () => {
  server = await startFakeProvider();
});
beforeEach(() => server.reset());
afterAll(async () => server.close());

function router(logs: DecisionLog[]) {
  const providers = createProviderRegistry([], {
    hosted: {
      timeoutMs: 5000,
      env: {
        OPENAI_API_KEY: KEYS.openai,
        OPENAI_BASE_URL: server.openaiBaseUrl,
        ANTHROPIC_API_KEY: KEYS.anthropic,
        ANTHROPIC_BASE_URL: server.rootUrl,
      },
    },
  });
  return createRouter(config, { routers: [], providers, onDecision: (log) => logs.push(log) });
}

describe("runtime: a provider that echoes the key", () => {
  it("answers with the key scrubbed, the answer marked redacted, and a clean decision log", async () => {
    server.setResponder((req) => keyEchoReply(req, "openai", "200-answer"));
    const logs: DecisionLog[] = [];
    const decision = await router(logs).route(input("r1"));
    // The server did send the key back.
    expect(presentedCredential(server.requests[0]!)).toContain(KEYS.openai);
    expect(JSON.stringify(server.requests[0]!.reply)).toContain(KEYS.openai);
    expect(decision.answer.text).toBe(`Here is what you sent me: Bearer ${REDACTED_KEY}`);
    expect(decision.answer.redacted).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.calls[0]!.redacted).toBe(true);
    expect(noKey(JSON.stringify(decision))).toBe(true);
    expect(noKey(JSON.stringify(logs))).toBe(true);
  });

  it("falls back past an error that echoes the key; the logged error and the answer are scrubbed", async () => {
    server.setResponder((req) =>
      req.provider === "openai"
        ? errorReply("openai", 503, `overloaded for ${presentedCredential(req)}`)
        : keyEchoReply(req, "anthropic", "200-answer"),
    );
    const logs: DecisionLog[] = [];
    const decision = await router(logs).route(input("r2"));
    expect(decision.model).toBe("anthropic:claude-3-5-haiku-20241022");
    expect(logs[0]!.fallbacks).toHaveLength(1);
    expect(logs[0]!.fallbacks[0]!.error).toContain(REDACTED_KEY);
    expect(decision.answer.text).toContain(REDACTED_KEY);
    expect(noKey(JSON.stringify(decision))).toBe(true);
    expect(noKey(JSON.stringify(logs))).toBe(true);
  });

  it("when every model fails, the error thrown holds no key", async () => {
    server.setResponder((req) =>
      errorReply(req.provider === "anthropic" ? "anthropic" : "openai", 503, `down: ${presentedCredential(req)}`),
    );
    const err = await router([])
      .route(input("r3"))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toContain(REDACTED_KEY);
    expect(noKey(`${(err as Error).message}\n${(err as Error).stack}`)).toBe(true);
  });
});
