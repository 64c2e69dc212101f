import { describe, expect, it } from "vitest";
import { collectHarness, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import { RecordingProvider, reply } from "../../devkit/collect-harness/recording-provider.ts";
import { REDACTED_KEY as R, SecretScrubber } from "../providers/scrub/secret-scrubber.ts";

// The store-backed caller's own line of defence: whatever reaches it with a key (an outcome an
// older routegate stored, a prompt built from data that holds one, a provider not wrapped in the
// scrub) is stored and served scrubbed and flagged.

const KEY = "sk-store-caller-planted-01";
const scrubber = new SecretScrubber([KEY]);

describe("StoreCaller scrubbing", () => {
  it("stores and returns a new outcome scrubbed and marked redacted, prompt included", async () => {
    const provider = new RecordingProvider({ script: (call) => reply(call.request, { text: `echo ${KEY}` }) });
    const h = collectHarness({ models: { m: provider }, scrubber });
    const [item] = testItems(1);
    const request = { ...testRequest(item!), messages: [{ role: "user" as const, content: `use ${KEY}` }] };
    const result = await h.caller.forItem(item!).call("m", request);
    expect(result.text).toBe(`echo ${R}`);
    expect(result.redacted).toBe(true);
    const stored = h.store.get(result.requestHash)!;
    expect(stored).toMatchObject({ output: `echo ${R}`, redacted: true });
    expect("messages" in stored.request && stored.request.messages[0]!.content).toBe(`use ${R}`);
    expect(h.stats.redacted).toEqual([{ model: "m", itemId: item!.id, role: "answer" }]);
  });

  it("stores a provider's raw usage scrubbed, even from a provider not wrapped in the scrub", async () => {
    const provider = new RecordingProvider({
      script: (call) => ({
        ...reply(call.request, { text: "fine" }),
        rawUsage: { format: "anthropic", usage: { input_tokens: 3, output_tokens: 1, server: `at ${KEY}` } },
      }),
    });
    const h = collectHarness({ models: { m: provider }, scrubber });
    const [item] = testItems(1);
    const result = await h.caller.forItem(item!).call("m", testRequest(item!));
    const stored = h.store.get(result.requestHash)!;
    expect(stored.rawUsage).toEqual({
      format: "anthropic",
      usage: { input_tokens: 3, output_tokens: 1, server: `at ${R}` },
    });
    expect(stored.redacted).toBe(true);
  });

  it("serves an outcome an older routegate stored with a key scrubbed, and rewrites it clean", async () => {
    const provider = new RecordingProvider();
    const first = collectHarness({ models: { m: provider } });
    const [item] = testItems(1);
    const old = await first.caller.forItem(item!).call("m", testRequest(item!));
    first.store.put({ ...first.store.get(old.requestHash)!, output: `leaked ${KEY}`, error: null });

    const again = collectHarness({ models: { m: provider }, store: first.store, scrubber, offline: true });
    const served = await again.caller.forItem(item!).call("m", testRequest(item!));
    expect(served).toMatchObject({ text: `leaked ${R}`, redacted: true, cached: true });
    expect(first.store.get(old.requestHash)).toMatchObject({ output: `leaked ${R}`, redacted: true });
    expect(again.stats.redacted).toHaveLength(1);
    expect(provider.calls).toHaveLength(1);
  });

  it("serves a read-ahead outcome (no request read) with a key scrubbed, and rewrites the whole row clean", async () => {
    const provider = new RecordingProvider();
    const first = collectHarness({ models: { m: provider } });
    const [item] = testItems(1);
    const old = await first.caller.forItem(item!).call("m", testRequest(item!));
    const stored = first.store.get(old.requestHash)!;
    const request = { ...stored.request, messages: [{ role: "user" as const, content: `old ${KEY}` }] };
    first.store.put({ ...stored, request, output: `leaked ${KEY}`, error: null });

    const again = collectHarness({ models: { m: provider }, store: first.store, scrubber, offline: true });
    again.caller.prefetch([old.requestHash]);
    const now = again.caller.servedNow("m", old.requestHash);
    expect(now && again.caller.price(now)).toMatchObject({ text: `leaked ${R}`, redacted: true, cached: true });
    const rewritten = first.store.get(old.requestHash)!;
    expect(rewritten).toMatchObject({ output: `leaked ${R}`, redacted: true });
    expect("messages" in rewritten.request && rewritten.request.messages[0]!.content).toBe(`old ${R}`);
    expect(provider.calls).toHaveLength(1);
  });
});
