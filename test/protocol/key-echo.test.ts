import { describe, expect, it } from "vitest";
import { ECHO_PLACES, keyEchoReply, presentedCredential } from "../../devkit/fake-provider/key-echo.ts";
import type { WireProvider } from "../../devkit/fake-provider/wire.ts";
import type { ProviderResult } from "../../src/core/types.ts";
import { ProviderError } from "../../src/providers/provider-error.ts";
import { scrubbedProvider } from "../../src/providers/scrub/scrubbed-provider.ts";
import { REDACTED_KEY, SecretScrubber } from "../../src/providers/scrub/secret-scrubber.ts";
import { ask, ctx, KEYS, SPECS, useFakeProvider } from "./harness.ts";

// A server that hands back the key it was sent, in an error body, in an error object of a 200
// reply, or in the answer itself. Through the shared scrub (what evaluation and the runtime use)
// the key never comes out, and what was scrubbed says so; the bare adapter shows the echo is real.

const h = useFakeProvider();
const PROVIDERS: WireProvider[] = ["openai", "anthropic", "google"];

async function settle(run: Promise<ProviderResult>): Promise<ProviderResult | ProviderError> {
  try {
    return await run;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
}

describe.each(PROVIDERS)("%s replies that echo the key", (p) => {
  it.each(ECHO_PLACES)("echo in the %s: scrubbed and marked redacted", async (place) => {
    const key = KEYS[p];
    h.server.setResponder((req) => keyEchoReply(req, p, place));
    const provider = h.provider(p);

    // The bare adapter really does receive the key back (so the assertions below can fail).
    const bare = await settle(provider.complete(SPECS[p], ask("q"), ctx()));
    expect(bare instanceof ProviderError ? bare.message : bare.text).toContain(key);

    const scrubber = new SecretScrubber(provider.secrets?.(SPECS[p]) ?? []);
    const got = await settle(scrubbedProvider(provider, scrubber).complete(SPECS[p], ask("q"), ctx()));
    if (place === "200-answer") {
      expect(got).not.toBeInstanceOf(ProviderError);
      const result = got as ProviderResult;
      const sent = presentedCredential(h.server.requests[1]!);
      expect(sent).toContain(key);
      expect(result.text).toBe(`Here is what you sent me: ${sent.replace(key, REDACTED_KEY)}`);
      expect(result.redacted).toBe(true);
    } else {
      expect(got).toBeInstanceOf(ProviderError);
      const err = got as ProviderError;
      // What the adapter decided stands; only the text changed. (OpenAI's error object names no status.)
      const status = place === "200-error" && p === "openai" ? 400 : 401;
      expect(err).toMatchObject({ isRetryable: false, status, redacted: true });
      expect(err.code).toBe(status === 401 ? "auth" : "bad_request");
      expect(err.message).toContain(REDACTED_KEY);
      expect(`${err.message}\n${err.stack}`).not.toContain(key);
    }
    expect(h.server.requests.map((r) => r.reply?.status)).toEqual(place === "4xx" ? [401, 401] : [200, 200]);
  });
});
