import { afterAll, describe, expect, it } from "vitest";
import { errorReply, openaiBody, type Reply } from "../../devkit/fake-provider/wire.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import type { ChatRequest, ProviderResult } from "../../src/core/types.ts";
import { undiciJsonPost } from "../../src/providers/hosted/undici-post.ts";
import { createOpenAIProvider, createVllmProvider } from "../../src/providers/openai/chat.ts";
import { ProviderError } from "../../src/providers/provider-error.ts";
import { ask, ctx, KEYS, listCost, useFakeProvider, withSystem } from "./harness.ts";

// The gateway's fast path (openai/fast-chat.ts over hosted/undici-post.ts) against the SDK path,
// the same scripted replies from the local fake: the same request on the wire, the same results
// (text, usage, cost, tool calls, finish), and the same errors (code, retryability, status,
// retry-after, billing, message). Each case runs through both and compares.

const h = useFakeProvider();
const post = undiciJsonPost();
afterAll(() => post.close());

type Flavour = "openai" | "vllm";
const specOf = (flavour: Flavour): ModelSpec =>
  flavour === "openai"
    ? { id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini" }
    : { id: "vllm:llama", provider: "vllm", model: "llama", baseUrl: h.server.openaiBaseUrl, apiKeyEnv: "VLLM_KEY" };

function providerOf(flavour: Flavour, fast: boolean, timeoutMs = 5000) {
  const opts = {
    env: { ...h.env, VLLM_KEY: KEYS.vllm, OPENAI_ORG_ID: "org-fake", OPENAI_PROJECT_ID: "proj-fake" },
    timeoutMs,
    ...(fast ? { post } : {}),
  };
  return flavour === "openai" ? createOpenAIProvider(opts) : createVllmProvider(opts);
}

type Outcome = { ok: ProviderResult } | { error: Record<string, unknown> };

async function outcome(flavour: Flavour, fast: boolean, request: ChatRequest, replies: Reply[], timeoutMs?: number) {
  h.server.reset();
  h.server.enqueue(...replies);
  let out: Outcome;
  try {
    out = { ok: await providerOf(flavour, fast, timeoutMs).complete(specOf(flavour), request, ctx()) };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    const { code, isRetryable, status, retryAfterMs, billed, message } = err;
    out = { error: { code, isRetryable, status, retryAfterMs, billed, message } };
  }
  return { out, requests: h.server.requests.map((r) => ({ ...r, headers: { ...r.headers } })) };
}

/** Both paths on the same script; returns both, after checking the fast one went through the transport. */
async function both(flavour: Flavour, request: ChatRequest, replies: Reply[], timeoutMs?: number) {
  const sdk = await outcome(flavour, false, request, replies, timeoutMs);
  const fast = await outcome(flavour, true, request, replies, timeoutMs);
  // The SDK marks its requests; the fast path's carry none of its telemetry headers.
  expect(sdk.requests[0]?.headers["x-stainless-retry-count"]).toBe("0");
  expect(fast.requests[0]?.headers).not.toHaveProperty("x-stainless-retry-count");
  return { sdk, fast };
}

const latencyless = (o: Outcome) => ("ok" in o ? { ok: { ...o.ok, latencyMs: 0 } } : o);

const toolReply = openaiBody({ text: "", usage: { prompt_tokens: 30, completion_tokens: 9 } });
(toolReply.choices as Array<Record<string, unknown>>)[0] = {
  index: 0,
  message: {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }],
  },
  finish_reason: "tool_calls",
};

describe.each(["openai", "vllm"] as const)("%s: the fast path and the SDK path agree", (flavour) => {
  it("sends the same body and credentials, and reads the same answer, usage and cost", async () => {
    const request = withSystem("You are terse.", "capital of France?", {
      temperature: 0,
      seed: 3,
      stop: ["\n"],
      jsonSchema: { name: "a", schema: { type: "object" } },
      responseFormat: "json",
      tools: [{ name: "lookup", parameters: { type: "object" } }],
      toolChoice: "auto",
    });
    const answer = openaiBody({
      text: "Paris",
      model: "gpt-4o-mini-2024-07-18",
      usage: {
        prompt_tokens: 1200,
        completion_tokens: 50,
        prompt_tokens_details: { cached_tokens: 1024 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
      logprobs: [-0.1, -0.2],
    });
    const { sdk, fast } = await both(flavour, request, [{ body: answer }]);
    expect("ok" in fast.out && fast.out.ok.text).toBe("Paris");
    expect(latencyless(fast.out)).toEqual(latencyless(sdk.out));
    if ("ok" in fast.out && "ok" in sdk.out)
      expect(listCost(specOf("openai"), fast.out.ok)).toBe(listCost(specOf("openai"), sdk.out.ok));
    expect(fast.requests[0]!.body).toEqual(sdk.requests[0]!.body);
    expect(fast.requests[0]!.path).toBe(sdk.requests[0]!.path);
    for (const name of ["authorization", "content-type", "accept", "openai-organization", "openai-project"])
      expect(fast.requests[0]!.headers[name], name).toBe(sdk.requests[0]!.headers[name]);
  });

  it("reads tool calls and the finish reason alike", async () => {
    const { sdk, fast } = await both(flavour, ask("look it up"), [{ body: toolReply }]);
    expect("ok" in fast.out && fast.out.ok.toolCalls).toEqual([
      { id: "call_1", name: "lookup", arguments: '{"q":"x"}' },
    ]);
    expect(latencyless(fast.out)).toEqual(latencyless(sdk.out));
  });

  const failures: Array<[string, Reply[], number?]> = [
    ["429 with retry-after", [errorReply("openai", 429, "slow down", { "retry-after": "2" })]],
    ["429 with retry-after-ms", [errorReply("openai", 429, "slow down", { "retry-after-ms": "1500" })]],
    ["500 with a JSON error", [errorReply("openai", 500, "boom")]],
    ["503 with a text body", [{ status: 503, raw: "upstream unavailable", headers: { "content-type": "text/plain" } }]],
    ["400", [errorReply("openai", 400, "bad field")]],
    ["401", [errorReply("openai", 401, "Incorrect API key provided")]],
    ["404 without a body", [{ status: 404, raw: "" }]],
    ["a malformed JSON body", [{ raw: '{"choices": [' }]],
    ["a JSON body of the wrong shape", [{ body: { hello: "world" } }]],
    ["a text body", [{ raw: "hello", headers: { "content-type": "text/plain" } }]],
    ["an error object in a 200", [{ body: { error: { message: "overloaded", type: "server_error" } } }]],
    ["a body cut at the start", [{ body: openaiBody({ text: "x".repeat(300), usage: {} }), truncateAt: 0 }]],
    ["a body cut half-way", [{ body: openaiBody({ text: "x".repeat(300), usage: {} }), truncateAt: 0.5 }]],
    [
      "an error body cut half-way",
      [{ status: 500, body: { error: { message: "boom ".repeat(50) } }, truncateAt: 0.3 }],
    ],
    ["a hang past the deadline", [{ hang: true }], 300],
    [
      "a drip slower than the deadline",
      [{ body: openaiBody({ text: "slow", usage: {} }), dripChunks: 10, dripMs: 80 }],
      300,
    ],
  ];
  it.each(failures)("fails alike on %s", async (_name, replies, timeoutMs) => {
    const { sdk, fast } = await both(flavour, ask("q"), replies, timeoutMs);
    expect("error" in sdk.out).toBe(true);
    expect(fast.out).toEqual(sdk.out);
    expect(fast.requests).toHaveLength(sdk.requests.length);
  });

  it("a slow drip that completes within the deadline is the same answer", async () => {
    const reply = { body: openaiBody({ text: "slow but whole", usage: { prompt_tokens: 3, completion_tokens: 3 } }) };
    const { sdk, fast } = await both(flavour, ask("q"), [{ ...reply, dripChunks: 4, dripMs: 30 }]);
    expect(latencyless(fast.out)).toEqual(latencyless(sdk.out));
  });

  it("follows a redirect through the SDK, as before", async () => {
    const redirect = (): Reply => ({
      status: 307,
      headers: { location: `${h.server.openaiBaseUrl}/chat/completions` },
    });
    const sdk = await outcome(flavour, false, ask("q"), [redirect()]);
    const fast = await outcome(flavour, true, ask("q"), [redirect(), redirect()]);
    expect("ok" in fast.out).toBe(true);
    expect(latencyless(fast.out)).toEqual(latencyless(sdk.out));
    // The fast path's 307, then the SDK's request (307 again) and the one it redirected to.
    expect(fast.requests.map((r) => r.reply?.status)).toEqual([307, 307, 200]);
  });
});

describe("the fast path's edges", () => {
  it("a refused connection is a retryable connection error, not billed, on both paths", async () => {
    const closed = { ...specOf("vllm"), baseUrl: "http://127.0.0.1:9/v1" };
    const errors = await Promise.all(
      [false, true].map(async (fast) => {
        try {
          await providerOf("vllm", fast).complete(closed, ask("q"), ctx());
        } catch (err) {
          return err as ProviderError;
        }
        throw new Error("expected a refused connection");
      }),
    );
    for (const err of errors)
      expect(err).toMatchObject({ code: "connection_error", isRetryable: true, billed: false, status: undefined });
  });

  it("the caller's abort is thrown as it is, not as an outcome", async () => {
    h.server.reset();
    h.server.enqueue({ hang: true });
    const controller = new AbortController();
    const reason = new Error("run stopped");
    const call = providerOf("openai", true).complete(specOf("openai"), ask("q"), ctx({ signal: controller.signal }));
    setTimeout(() => controller.abort(reason), 50);
    await expect(call).rejects.toBe(reason);
  });

  it("a replaced global fetch turns the fast path off: the calls go where they went before", async () => {
    const original = globalThis.fetch;
    let seen = 0;
    globalThis.fetch = (input, init) => {
      seen++;
      return original(input, init);
    };
    try {
      h.server.reset();
      const r = await providerOf("openai", true).complete(specOf("openai"), ask("q"), ctx());
      expect(r.text).toBe("ok");
      expect(seen).toBe(1);
      expect(h.server.requests[0]!.headers["x-stainless-retry-count"]).toBe("0");
    } finally {
      globalThis.fetch = original;
    }
  });
});
