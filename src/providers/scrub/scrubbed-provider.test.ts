import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ProviderResult } from "../../core/types.ts";
import type { BatchCapable } from "../batch.ts";
import type { Provider } from "../provider.ts";
import { ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { scrubbedProvider } from "./scrubbed-provider.ts";
import { REDACTED_KEY as R, SecretScrubber } from "./secret-scrubber.ts";

const KEY = "sk-proj-planted-0123456789";
const spec: ModelSpec = { id: "echo:m", provider: "openai", model: "m" };
const ctx = { identity: { itemId: "i", role: "answer" as const, sample: 0, parents: [] } };
const ask = { messages: [{ role: "user" as const, content: "q" }], maxTokens: 8 };
const usage = {
  input: { noCache: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
  output: { text: 1, reasoning: 0 },
};
const answer = (text: string): ProviderResult => ({ text, usage, latencyMs: 3, snapshot: `m@${KEY}` });

function provider(complete: Provider["complete"], batch?: BatchCapable): Provider {
  return {
    specificationVersion: "v1",
    id: "echo",
    offline: false,
    snapshot: () => "m",
    complete,
    ...(batch ? { batch } : {}),
  };
}
const scrubber = new SecretScrubber([KEY]);

describe("scrubbedProvider", () => {
  it("passes a window's read-ahead hint through to the provider (replay reads a window in one go behind the wrapper)", () => {
    const hinted: unknown[] = [];
    const inner: Provider = {
      ...provider(async () => answer("fine")),
      readAhead: (model, identities) => void hinted.push([model.id, identities.map((i) => i.itemId)]),
    };
    scrubbedProvider(inner, scrubber).readAhead?.(spec, [ctx.identity]);
    expect(hinted).toEqual([["echo:m", ["i"]]]);
    expect(
      scrubbedProvider(
        provider(async () => answer("fine")),
        scrubber,
      ).readAhead,
    ).toBeUndefined();
  });

  it("scrubs an answer's text and snapshot and marks it redacted; a clean answer is returned as is", async () => {
    const wrapped = scrubbedProvider(
      provider(async () => answer(`the key is ${KEY}`)),
      scrubber,
    );
    const got = await wrapped.complete(spec, ask, ctx);
    expect(got).toMatchObject({ text: `the key is ${R}`, snapshot: `m@${R}`, redacted: true, latencyMs: 3 });
    const clean: ProviderResult = { text: "fine", usage, latencyMs: 1 };
    expect(
      await scrubbedProvider(
        provider(async () => clean),
        scrubber,
      ).complete(spec, ask, ctx),
    ).toBe(clean);
  });

  it("scrubs a key a provider echoed inside its raw usage object (strings and keys), before anything stores it", async () => {
    const rawUsage = {
      format: "openai" as const,
      usage: { prompt_tokens: 1, completion_tokens: 1, note: [`org ${KEY}`], [`k-${KEY}`]: 2 },
    };
    const wrapped = scrubbedProvider(
      provider(async () => ({ text: "fine", usage, latencyMs: 1, rawUsage })),
      scrubber,
    );
    const got = await wrapped.complete(spec, ask, ctx);
    expect(got.redacted).toBe(true);
    expect(got.text).toBe("fine");
    expect(got.rawUsage).toEqual({
      format: "openai",
      usage: { prompt_tokens: 1, completion_tokens: 1, note: [`org ${R}`], [`k-${R}`]: 2 },
    });
    expect(JSON.stringify(got)).not.toContain(KEY);
  });

  it("scrubs a thrown ProviderError in place: class, retryability, status and billing stay", async () => {
    const thrown = new ProviderError(`401: bad key ${KEY}`, ProviderErrorCode.Auth, false, 401, undefined, false);
    const wrapped = scrubbedProvider(
      provider(async () => {
        throw thrown;
      }),
      scrubber,
    );
    const err = await wrapped.complete(spec, ask, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: "auth", isRetryable: false, status: 401, redacted: true });
    expect((err as Error).message).toBe(`401: bad key ${R}`);
    expect((err as Error).stack).not.toContain(KEY);
  });

  it("scrubs any other error and its causes, and passes an abort through untouched", async () => {
    const inner = new TypeError(`fetch to https://x/?key=${KEY} failed`);
    const outer = new Error("request failed", { cause: inner });
    const wrapped = scrubbedProvider(
      provider(async () => {
        throw outer;
      }),
      scrubber,
    );
    const err = (await wrapped.complete(spec, ask, ctx).catch((e: unknown) => e)) as Error;
    expect(err).toBe(outer);
    expect((err.cause as Error).message).toBe(`fetch to https://x/?key=${R} failed`);
    expect(`${(err.cause as Error).stack}`).not.toContain(KEY);

    const abort = new DOMException("This operation was aborted", "AbortError");
    const aborted = scrubbedProvider(
      provider(async () => {
        throw abort;
      }),
      scrubber,
    );
    expect(await aborted.complete(spec, ask, ctx).catch((e: unknown) => e)).toBe(abort);
  });

  it("scrubs batch result lines, poll statuses and batch failures; refuses a batch id holding a key", async () => {
    let id = "batch_1";
    const batch: BatchCapable = {
      submit: async () => id,
      poll: async () => ({ done: true, status: `ended ${KEY}` }),
      results: async () => [
        { hash: "h1", result: { text: `answer ${KEY}`, usage } },
        { hash: "h2", error: new ProviderError(`denied ${KEY}`, ProviderErrorCode.Auth, false, 401) },
        { hash: "h3", result: { text: "clean", usage } },
      ],
    };
    const wrapped = scrubbedProvider(
      provider(async () => answer("x"), batch),
      scrubber,
    );
    expect(await wrapped.batch!.submit(spec, [])).toBe("batch_1");
    expect((await wrapped.batch!.poll(spec, "batch_1")).status).toBe(`ended ${R}`);
    const lines = await wrapped.batch!.results(spec, "batch_1");
    expect(lines[0]).toEqual({ hash: "h1", result: { text: `answer ${R}`, usage, redacted: true } });
    expect(lines[1]).toMatchObject({ hash: "h2", error: { message: `denied ${R}`, redacted: true, code: "auth" } });
    expect(lines[2]).toEqual({ hash: "h3", result: { text: "clean", usage } });
    id = `batch_${KEY}`;
    await expect(wrapped.batch!.submit(spec, [])).rejects.toMatchObject({ code: "bad_response" });
  });

  it("returns the provider itself when there is no secret to scrub", () => {
    const p = provider(async () => answer("x"));
    expect(scrubbedProvider(p, new SecretScrubber(["EMPTY"]))).toBe(p);
  });
});
