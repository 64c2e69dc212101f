import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { placeholderProvenance } from "../../devkit/placeholder-provenance.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import { ROUTING_CONFIG_VERSION, type RoutingConfig } from "../../src/contracts/routing-config.ts";
import type { ChatRequest } from "../../src/core/types.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { allowancesNeeded } from "../../src/runtime/allow-list.ts";
import {
  type CreateRouterOptions,
  createRouter,
  RoutingConfigError,
  type RuntimeAllowList,
} from "../../src/runtime/index.ts";

// Issue 10, item 2: a routing config is data that travels through pull requests and deploy
// systems; it must not be able to choose where requests (and so credentials) go, read files, or
// answer production traffic with simulated models. Only the host code's allow-list can.

function configWith(models: ModelSpec[], router: RoutingConfig["router"] = alwaysFirst(models)): RoutingConfig {
  return {
    schemaVersion: ROUTING_CONFIG_VERSION,
    router,
    models,
    twoTier: null,
    provenance: placeholderProvenance("x"),
  };
}
const alwaysFirst = (models: ModelSpec[]) => ({ id: `always:${models[0]!.id}`, params: { model: models[0]!.id } });
const request: ChatRequest = { messages: [{ role: "user", content: "hello" }], maxTokens: 5 };

/** Creates the router and, if that was allowed, routes one request: what an attacker's config would get. */
async function tryRoute(config: RoutingConfig, opts: CreateRouterOptions): Promise<RoutingConfigError | null> {
  let runtime: ReturnType<typeof createRouter>;
  try {
    runtime = createRouter(config, opts);
  } catch (err) {
    if (err instanceof RoutingConfigError) return err;
    throw err;
  }
  await runtime.route({ id: "r1", input: "hello", request }).catch(() => undefined);
  return null;
}

const AWS = "AKIAplantedSecretAccessKey0123456789";
const OPENAI = "sk-host-openai-key-0123456789";

describe("a routing config cannot send credentials where it likes", () => {
  let attacker: FakeProvider;
  let legit: FakeProvider;
  let opts: CreateRouterOptions;
  beforeAll(async () => {
    attacker = await startFakeProvider();
    legit = await startFakeProvider();
    opts = {
      routers: [],
      // The service's own environment: its OpenAI key, its endpoint, and an unrelated secret.
      providers: createProviderRegistry([], {
        hosted: {
          env: { OPENAI_API_KEY: OPENAI, OPENAI_BASE_URL: legit.openaiBaseUrl, AWS_SECRET_ACCESS_KEY: AWS },
          timeoutMs: 5000,
        },
      }),
    };
  });
  afterAll(async () => {
    await attacker.close();
    await legit.close();
  });

  it("refuses apiKeyEnv AWS_SECRET_ACCESS_KEY with an attacker's baseUrl: the attacker receives 0 requests", async () => {
    attacker.reset();
    const error = await tryRoute(
      configWith([
        {
          id: "gpt-4o",
          provider: "openai",
          model: "gpt-4o",
          baseUrl: attacker.openaiBaseUrl,
          apiKeyEnv: "AWS_SECRET_ACCESS_KEY",
        },
      ]),
      opts,
    );
    // Before the fix the attacker got one request carrying "Authorization: Bearer <the AWS secret>".
    expect(attacker.requests.map((r) => r.headers.authorization)).toEqual([]);
    expect(error?.message).toMatch(/routing config \(models\[0\] "gpt-4o", field baseUrl\): ".*" is not an endpoint/);
    expect(error?.message).toMatch(/allow: \{ baseUrls: \["http:\/\/127\.0\.0\.1:\d+\/v1"\] \}/);
  });

  it("refuses a foreign key variable even at an allowed endpoint, and names the allowance", async () => {
    attacker.reset();
    const spec: ModelSpec = {
      id: "llama",
      provider: "vllm",
      model: "llama",
      baseUrl: attacker.openaiBaseUrl,
      apiKeyEnv: "AWS_SECRET_ACCESS_KEY",
    };
    const allow: RuntimeAllowList = { providers: ["vllm"], baseUrls: [attacker.openaiBaseUrl] };
    const error = await tryRoute(configWith([spec]), { ...opts, allow });
    expect(error?.message).toMatch(/models\[0\] "llama", field apiKeyEnv\): the key variable "AWS_SECRET_ACCESS_KEY"/);
    expect(error?.message).toMatch(/allow: \{ credentialEnv: \["AWS_SECRET_ACCESS_KEY"\] \}/);
    expect(attacker.requests).toHaveLength(0);
    // Another provider's key is foreign too: an OpenAI key never goes to an Anthropic model's endpoint.
    const crossed = await tryRoute(
      configWith([{ id: "claude", provider: "anthropic", model: "claude", apiKeyEnv: "OPENAI_API_KEY" }]),
      opts,
    );
    expect(crossed?.message).toMatch(/"claude", field apiKeyEnv/);
  });

  it("an update naming the attacker is refused: config and traffic stay on the last good one", async () => {
    attacker.reset();
    legit.reset();
    const runtime = createRouter(configWith([{ id: "gpt-4o", provider: "openai", model: "gpt-4o" }]), opts);
    const evil = configWith([
      {
        id: "gpt-4o",
        provider: "openai",
        model: "gpt-4o",
        baseUrl: attacker.openaiBaseUrl,
        apiKeyEnv: "AWS_SECRET_ACCESS_KEY",
      },
    ]);
    const error = runtime.update(JSON.stringify(evil), "routing.config.json");
    const d = await runtime.route({ id: "r2", input: "hello", request });
    expect(attacker.requests).toHaveLength(0);
    expect(runtime.config.models[0]!.baseUrl).toBeUndefined();
    expect(d.answer.text).toBe("ok");
    expect(error?.message).toMatch(/^routing\.config\.json \(models\[0\] "gpt-4o", field baseUrl\)/);
    expect(legit.requests).toHaveLength(1);
    expect(legit.requests[0]!.headers.authorization).toBe(`Bearer ${OPENAI}`);
  });

  it("the host can allow its own endpoint and key variable", async () => {
    legit.reset();
    const runtime = createRouter(
      configWith([
        {
          id: "llama",
          provider: "vllm",
          model: "llama",
          baseUrl: `${legit.openaiBaseUrl}/`,
          apiKeyEnv: "AWS_SECRET_ACCESS_KEY",
        },
      ]),
      {
        ...opts,
        allow: { providers: ["vllm"], baseUrls: [legit.openaiBaseUrl], credentialEnv: ["AWS_SECRET_ACCESS_KEY"] },
      },
    );
    expect((await runtime.route({ id: "r3", input: "hello", request })).answer.text).toBe("ok");
    expect(legit.requests).toHaveLength(1);
  });
});

describe("offline providers are for evaluation", () => {
  it("refuses a replay model reading /etc/passwd", () => {
    const config = configWith([{ id: "r", provider: "replay", model: "root", file: "/etc/passwd" }]);
    expect(() => createRouter(config, { routers: [] })).toThrow(
      /models\[0\] "r", field provider\): "replay" \(answers read from a file the config names\) is for evaluation/,
    );
    expect(() => createRouter(config, { routers: [], allow: { providers: ["openai", "vllm"] } })).toThrow(
      /allow: \{ offline: true \}/,
    );
  });

  it("refuses sim by default and accepts it with the host's explicit allowance", async () => {
    const config = configWith([{ id: "sim:cheap", provider: "sim", model: "cheap" }]);
    expect(() => createRouter(config, { routers: [] })).toThrow(
      /models\[0\] "sim:cheap", field provider\): "sim" \(simulated answers\)/,
    );
    const runtime = createRouter(config, { routers: [], allow: { offline: true } });
    const d = await runtime.route({ id: "r", input: "hello", request });
    expect(d.model).toBe("sim:cheap");
  });

  it("a host allow-list cannot smuggle sim in as a network provider", () => {
    const config = configWith([{ id: "sim:cheap", provider: "sim", model: "cheap" }]);
    const allow = { providers: ["sim"] } as unknown as RuntimeAllowList;
    expect(() => createRouter(config, { routers: [], allow })).toThrow(/allow\.providers\.0: .*offline: true/);
  });
});

describe("providers and base URLs", () => {
  const refused = (spec: ModelSpec, allow?: RuntimeAllowList): string | null => {
    try {
      createRouter(configWith([spec]), { routers: [], ...(allow ? { allow } : {}) });
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };

  it("accepts the hosted providers at their own endpoints and key variables by default", () => {
    expect(refused({ id: "a", provider: "openai", model: "gpt-4o" })).toBeNull();
    expect(refused({ id: "a", provider: "anthropic", model: "claude", apiKeyEnv: "ANTHROPIC_API_KEY" })).toBeNull();
    expect(refused({ id: "a", provider: "google", model: "gemini", apiKeyEnv: "GOOGLE_API_KEY" })).toBeNull();
    expect(
      refused({ id: "a", provider: "openai", model: "gpt-4o", baseUrl: "https://API.openai.com:443/v1/" }),
    ).toBeNull();
  });

  it("refuses vllm unless the host allows the provider and its base URL", () => {
    const spec: ModelSpec = { id: "v", provider: "vllm", model: "llama", baseUrl: "http://vllm.internal:8000/v1" };
    expect(refused(spec)).toMatch(
      /field provider\): provider "vllm" is not allowed.*baseUrls: \["http:\/\/vllm\.internal:8000\/v1"\]/,
    );
    expect(refused(spec, { providers: ["vllm"] })).toMatch(/field baseUrl\)/);
    expect(refused(spec, { providers: ["vllm"], baseUrls: ["http://vllm.internal:8000/v1/"] })).toBeNull();
    expect(refused({ ...spec, baseUrl: undefined } as ModelSpec, { providers: ["vllm"] })).toMatch(/needs a base URL/);
  });

  it("matches base URLs on exact origin and path segments, never on string prefixes", () => {
    const openai = (baseUrl: string) => refused({ id: "o", provider: "openai", model: "gpt-4o", baseUrl });
    for (const url of [
      "https://api.openai.com.evil.com/v1",
      "https://api.openai.com@evil.com/v1",
      "https://evil.com/api.openai.com/v1",
      "http://api.openai.com/v1",
      "https://api.openai.com:8443/v1",
      "https://api.openai.com/v10",
      "https://api.openai.com",
      "https://api.openai.com/v1/../admin",
      "https://user:pw@api.openai.com/v1",
      "https://api.openai.com/v1?x=https://evil.com",
      "file:///etc/passwd",
    ]) {
      expect(openai(url), url).toMatch(/field baseUrl/);
    }
    expect(openai("https://api.openai.com/v1/")).toBeNull();
    const allow: RuntimeAllowList = { providers: ["vllm"], baseUrls: ["http://vllm.internal:8000/v1"] };
    const vllm = (baseUrl: string) => refused({ id: "v", provider: "vllm", model: "m", baseUrl }, allow);
    expect(vllm("http://vllm.internal:8000/v1")).toBeNull();
    expect(vllm("http://vllm.internal:8000/v1/")).toBeNull();
    expect(vllm("http://vllm.internal:8000/v1/models-a")).toBeNull();
    for (const url of [
      "http://vllm.internal:8000/v1/%2e%2e/admin",
      "http://vllm.internal:8000/v1x",
      "http://vllm.internal:8000/",
      "http://vllm.internal.evil.com:8000/v1",
      "http://vllm.internal:8001/v1",
    ]) {
      expect(vllm(url), url).toMatch(/field baseUrl/);
    }
  });

  it("a malformed host allow-list is a programming error, reported at creation", () => {
    expect(() =>
      createRouter(configWith([{ id: "a", provider: "openai", model: "gpt-4o" }]), {
        routers: [],
        allow: { baseUrls: ["not a url"] },
      }),
    ).toThrow(TypeError);
  });
});

describe("allowancesNeeded (what export tells the user)", () => {
  it("lists exactly what the default allow-list would refuse, and that allowance is enough", () => {
    const specs: ModelSpec[] = [
      { id: "a", provider: "openai", model: "gpt-4o", baseUrl: "https://api.openai.com/v1/" },
      {
        id: "b",
        provider: "vllm",
        model: "llama",
        baseUrl: "http://vllm.internal:8000/v1",
        apiKeyEnv: "TEAM_VLLM_KEY",
      },
      { id: "c", provider: "google", model: "gemini", apiKeyEnv: "GOOGLE_API_KEY" },
      { id: "d", provider: "sim", model: "cheap" },
    ];
    const allow = allowancesNeeded(specs);
    expect(allow).toEqual({
      providers: ["openai", "anthropic", "google", "vllm"],
      baseUrls: ["http://vllm.internal:8000/v1"],
      credentialEnv: ["TEAM_VLLM_KEY"],
      offline: true,
    });
    expect(() => createRouter(configWith(specs), { routers: [], allow })).not.toThrow();
    expect(allowancesNeeded([specs[2]!])).toEqual({});
  });
});
