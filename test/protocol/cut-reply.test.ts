import { describe, expect, it } from "vitest";
import { replyFor, type WireProvider } from "../../devkit/fake-provider/wire.ts";
import { ask, ctx, failure, SPECS, useFakeProvider } from "./harness.ts";

// Issue 10, item 4: a reply whose body ends before its content-length (the socket closes) escaped
// the SDKs as undici's bare `TypeError: terminated` and crashed the run as an internal error. It
// is a retryable connection error for every provider, counted as possibly billed.

const h = useFakeProvider();
const PROVIDERS: WireProvider[] = ["openai", "anthropic", "google"];
const answer = (p: WireProvider, text: string) => ({
  body: replyFor(p, { text, usage: { prompt: 40, cached: 0, output: 20 }, model: SPECS[p].model }),
});
const call = (p: WireProvider, timeoutMs = 5000) => h.provider(p, { timeoutMs }).complete(SPECS[p], ask("q"), ctx());

describe.each(PROVIDERS)("%s: a reply cut short or trickling", (p) => {
  it("a 200 body that ends early is a retryable connection error, possibly billed", async () => {
    for (const share of [0, 0.5, 0.95]) {
      h.server.enqueue({ ...answer(p, "a long answer ".repeat(40)), truncateAt: share });
      const err = await failure(call(p));
      expect(err, `cut at ${share}`).toMatchObject({ code: "connection_error", isRetryable: true, billed: true });
      expect(err.message).toMatch(/connection lost while reading the reply/);
    }
  });

  it("an error body that ends early is a retryable connection error too", async () => {
    h.server.enqueue({ status: 500, body: { error: { message: "boom ".repeat(50) } }, truncateAt: 0.3 });
    const err = await failure(call(p));
    expect(err).toMatchObject({ isRetryable: true });
    expect(["connection_error", "server_error"]).toContain(err.code);
  });

  it("a slow drip that completes within the deadline is an answer", async () => {
    h.server.enqueue({ ...answer(p, "slow but whole"), dripChunks: 5, dripMs: 40 });
    const result = await h.provider(p).complete(SPECS[p], ask("q"), ctx());
    expect(result.text).toBe("slow but whole");
  });

  it("a drip slower than the deadline is a timeout", async () => {
    h.server.enqueue({ ...answer(p, "too slow"), dripChunks: 10, dripMs: 200 });
    const err = await failure(call(p, 400));
    expect(err).toMatchObject({ code: "timeout", isRetryable: true });
  });
});
