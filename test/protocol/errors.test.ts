import { describe, expect, it } from "vitest";
import { errorReply, type WireProvider } from "../../devkit/fake-provider/wire.ts";
import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import { ProviderError } from "../../src/providers/provider-error.ts";
import { scrubbedProvider } from "../../src/providers/scrub/scrubbed-provider.ts";
import { SecretScrubber } from "../../src/providers/scrub/secret-scrubber.ts";
import { ask, ctx, failure, KEYS, SPECS, useFakeProvider } from "./harness.ts";

const h = useFakeProvider();
const PROVIDERS: WireProvider[] = ["openai", "anthropic", "google"];
const spec = (p: WireProvider): ModelSpec => SPECS[p];
const call = (p: WireProvider, opts: { timeoutMs?: number } = {}) =>
  h.provider(p, opts).complete(spec(p), ask("q"), ctx());
/** The call as evaluation and the runtime make it: through the shared scrub of the model's keys. */
const scrubbedCall = (p: WireProvider) => {
  const provider = h.provider(p);
  const scrubber = new SecretScrubber(provider.secrets?.(spec(p)) ?? []);
  return scrubbedProvider(provider, scrubber).complete(spec(p), ask("q"), ctx());
};

describe.each(PROVIDERS)("%s errors over HTTP", (p) => {
  it("429 with retry-after: retryable rate limit, wait parsed, not billed, one request (SDK retries off)", async () => {
    h.server.enqueue(errorReply(p, 429, "slow down", { "retry-after": "2" }));
    const err = await failure(call(p));
    expect(err).toMatchObject({
      code: "rate_limited",
      isRetryable: true,
      status: 429,
      retryAfterMs: 2000,
      billed: false,
    });
    expect(err.message).toContain("slow down");
    expect(h.server.requests).toHaveLength(1);
  });

  it("500: retryable server error, not billed", async () => {
    h.server.enqueue(errorReply(p, 500, "boom"));
    const err = await failure(call(p));
    expect(err).toMatchObject({ code: "server_error", isRetryable: true, status: 500, billed: false });
    expect(err.retryAfterMs).toBeUndefined();
    expect(h.server.requests).toHaveLength(1);
  });

  it("400 and 404 are not retryable; 401 is an auth error whose message never holds the key", async () => {
    // Some APIs echo the key they were sent: it must not reach the stored error message.
    const echoed = `Incorrect API key provided: ${KEYS[p]}.`;
    h.server.enqueue(errorReply(p, 400, "bad field"), errorReply(p, 404, "no such model"), errorReply(p, 401, echoed));
    expect(await failure(call(p))).toMatchObject({ code: "bad_request", isRetryable: false, status: 400 });
    expect(await failure(call(p))).toMatchObject({ code: "bad_request", isRetryable: false, status: 404 });
    const auth = await failure(scrubbedCall(p));
    expect(auth).toMatchObject({ code: "auth", isRetryable: false, status: 401, redacted: true });
    expect(auth.message).toContain("Incorrect API key provided: [redacted key]");
    for (const key of Object.values(KEYS)) expect(`${auth.message} ${auth.stack}`).not.toContain(key);
  });

  it("a hang past the deadline is a retryable timeout (billing unknown), after about the timeout", async () => {
    h.server.enqueue({ hang: true });
    const started = Date.now();
    const err = await failure(call(p, { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: "timeout", isRetryable: true });
    expect(err.message).toMatch(/300 ms/);
    // Never before the deadline (an early abort would bill a call that might still answer).
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("a malformed body is a bad_response: not retried, counted as billed", async () => {
    h.server.enqueue({ raw: '{"choices": [' });
    const err = await failure(call(p));
    expect(err).toMatchObject({ code: "bad_response", isRetryable: false, billed: true });
  });

  it("a JSON body of the wrong shape is a bad_response naming what is missing", async () => {
    h.server.enqueue({ body: { hello: "world" } });
    const err = await failure(call(p));
    expect(err).toMatchObject({ code: "bad_response", isRetryable: false });
    expect(err.message).toMatch(/choices|content|usage/);
  });

  it("an error object in a 200 reply is the error it names", async () => {
    const body =
      p === "anthropic"
        ? { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }
        : p === "google"
          ? { error: { code: 503, message: "The model is overloaded", status: "UNAVAILABLE" } }
          : { error: { message: "upstream overloaded", type: "server_error", code: null } };
    h.server.enqueue({ body });
    const err = await failure(call(p));
    expect(err).toMatchObject({ code: "server_error", isRetryable: true, billed: false });
    expect(err.message).toMatch(/overloaded/i);
  });

  it("a refused connection is a retryable connection error", async () => {
    const closed = "http://127.0.0.1:9";
    const env = {
      ...h.env,
      OPENAI_BASE_URL: `${closed}/v1`,
      ANTHROPIC_BASE_URL: closed,
      GOOGLE_GEMINI_BASE_URL: closed,
    };
    const err = await failure(h.provider(p, { env }).complete(spec(p), ask("q"), ctx()));
    expect(err).toMatchObject({ code: "connection_error", isRetryable: true });
  });

  it("the caller's abort passes through as an abort, not a stored ProviderError", async () => {
    h.server.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = h.provider(p).complete(spec(p), ask("q"), ctx({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error("run stopped")), 100);
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(ProviderError);
    expect((err as Error).message).toBe("run stopped");
  });
});

describe("provider-specific errors", () => {
  it("anthropic 529 overloaded is a retryable server error", async () => {
    h.server.enqueue(errorReply("anthropic", 529, "Overloaded"));
    expect(await failure(call("anthropic"))).toMatchObject({ code: "server_error", isRetryable: true, status: 529 });
  });

  it("retry-after-ms wins over retry-after; an HTTP date is read too", async () => {
    h.server.enqueue(errorReply("openai", 429, "x", { "retry-after-ms": "1500", "retry-after": "9" }));
    expect((await failure(call("openai"))).retryAfterMs).toBe(1500);
    const inFive = new Date(Date.now() + 5000).toUTCString();
    h.server.enqueue(errorReply("anthropic", 429, "x", { "retry-after": inFive }));
    const ms = (await failure(call("anthropic"))).retryAfterMs!;
    expect(ms).toBeGreaterThan(2500);
    expect(ms).toBeLessThanOrEqual(5000);
  });

  it("google: the RetryInfo retryDelay in the error body is the wait (its errors carry no headers)", async () => {
    h.server.enqueue({
      status: 429,
      body: {
        error: {
          code: 429,
          message: "Resource has been exhausted",
          status: "RESOURCE_EXHAUSTED",
          details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "37s" }],
        },
      },
    });
    expect(await failure(call("google"))).toMatchObject({ code: "rate_limited", retryAfterMs: 37_000 });
  });

  it("408 and 409 are retryable", async () => {
    h.server.enqueue(errorReply("openai", 408, "timeout"), errorReply("openai", 409, "conflict"));
    expect(await failure(call("openai"))).toMatchObject({ isRetryable: true, status: 408 });
    expect(await failure(call("openai"))).toMatchObject({ isRetryable: true, status: 409 });
  });
});
