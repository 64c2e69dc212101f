import { describe, expect, it } from "vitest";
import { collectHarness, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import { errors, RecordingProvider, reply } from "../../devkit/collect-harness/recording-provider.ts";
import { OutcomeStore } from "../store/outcome-store.ts";

// Issue 10, low: a one-off bad_response was kept forever, so every later run failed with exit 3
// and only deleting the store helped. Now: retried once automatically by the next run, and every
// stored failure is collected again on request (--retry-failed).

const items = testItems(3);
const [badReply, badRequest, fine] = items;

/** q0 answers with a malformed reply, q1 is refused, q2 answers, for as long as `broken` says. */
function provider(broken: { reply: boolean; request: boolean }) {
  return new RecordingProvider({
    script: (c) => {
      if (c.itemId === badReply!.id && broken.reply) throw errors.of("bad_response", { billed: true });
      if (c.itemId === badRequest!.id && broken.request) throw errors.badRequest();
      return reply(c.request, { text: `answer ${c.itemId}` });
    },
  });
}

async function run(store: OutcomeStore, p: RecordingProvider, retryFailed = false) {
  const h = collectHarness({ models: { m: p }, store, retryFailed });
  const results = await Promise.all(items.map((i) => h.caller.call(i, "m", testRequest(i))));
  return { called: p.calls.map((c) => c.itemId), errors: results.map((r) => r.error !== undefined), h };
}

describe("stored failures", () => {
  it("a bad_response is collected again once by the next run, then kept until --retry-failed", async () => {
    const store = OutcomeStore.open(":memory:");
    const broken = { reply: true, request: true };
    expect((await run(store, provider(broken))).errors).toEqual([true, true, false]);
    // Run 2: the malformed reply is tried again (it fails again); the refused request is kept.
    const second = await run(store, provider(broken));
    expect(second.called).toEqual([badReply!.id]);
    const hash = second.h.caller.hashOf(badReply!, "m", testRequest(badReply!));
    expect(store.get(hash)).toMatchObject({ errorCode: "bad_response", tries: 2 });
    // Run 3: two runs have tried it: kept, even though the provider would now answer.
    broken.reply = false;
    broken.request = false;
    const third = await run(store, provider(broken));
    expect(third.called).toEqual([]);
    expect(third.errors).toEqual([true, true, false]);
    // --retry-failed: every stored failure is collected again; answers are not.
    const fourth = await run(store, provider(broken), true);
    expect(fourth.called.sort()).toEqual([badReply!.id, badRequest!.id]);
    expect(fourth.errors).toEqual([false, false, false]);
    expect(store.get(hash)).toMatchObject({ errorCode: null, tries: 3, output: "answer q0" });
    // And once answered, nothing is collected again.
    expect((await run(store, provider(broken), true)).called).toEqual([]);
  });

  it("a one-off bad_response heals on the next run by itself", async () => {
    const store = OutcomeStore.open(":memory:");
    const broken = { reply: true, request: false };
    await run(store, provider(broken));
    broken.reply = false;
    const next = await run(store, provider(broken));
    expect(next.called).toEqual([badReply!.id]);
    expect(next.errors).toEqual([false, false, false]);
    expect(fine).toBeDefined();
  });
});
