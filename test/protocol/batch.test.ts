import { describe, expect, it } from "vitest";
import type { BatchItemResult } from "../../src/providers/batch.ts";
import { ProviderErrorCode } from "../../src/providers/provider-error.ts";
import { ask, ctx, SPECS, useFakeProvider, withSystem } from "./harness.ts";

// The batch adapters over real HTTP against the fake server: submit, poll until done, read the
// per-request results, with the same usage as the synchronous call of the same request.

const h = useFakeProvider();
const PROVIDERS = ["openai", "anthropic", "google"] as const;

describe.each(PROVIDERS)("%s batch adapter", (id) => {
  const spec = SPECS[id];

  it("submits, polls until done and reads results keyed by request hash, usage as the synchronous call", async () => {
    const provider = h.provider(id);
    const batch = provider.batch!;
    h.server.batches.pollsBeforeDone = 1;
    h.server.batches.fate = (_hash, q) => (q === "two" ? "error" : q === "three" ? "canceled" : "ok");
    const entries = [
      { hash: "a".repeat(64), request: withSystem("You are terse.", "one") },
      { hash: "b".repeat(64), request: ask("two") },
      { hash: "c".repeat(64), request: ask("three") },
    ];
    const batchId = await batch.submit(spec, entries);
    expect(h.server.batches.submissions).toEqual([expect.objectContaining({ provider: id, id: batchId })]);
    expect(h.server.batches.submissions[0]!.ids).toEqual(entries.map((e) => e.hash));
    expect(await batch.poll(spec, batchId)).toMatchObject({ done: false });
    expect(await batch.poll(spec, batchId)).toMatchObject({ done: true });

    const results = new Map((await batch.results(spec, batchId)).map((r: BatchItemResult) => [r.hash, r]));
    const ok = results.get(entries[0]!.hash)!;
    if (!("result" in ok)) throw new Error(`expected a result, got ${ok.error.message}`);
    const sync = await provider.complete(spec, entries[0]!.request, ctx());
    expect(ok.result.text).toBe(sync.text);
    expect(ok.result.usage).toEqual(sync.usage);

    const failed = results.get(entries[1]!.hash)!;
    expect("error" in failed && failed.error.code).toBe(ProviderErrorCode.BadRequest);
    // Gemini has no per-request cancellation: the job ends cancelled and leaves no line for it.
    const canceled = results.get(entries[2]!.hash);
    if (id === "google") expect(canceled).toBeUndefined();
    else expect(canceled && "error" in canceled && canceled.error.code).toBe(ProviderErrorCode.BatchCanceled);
  });
});

it("vLLM has no batch API: its models stay synchronous", () => {
  expect(h.provider("vllm").batch).toBeUndefined();
});
