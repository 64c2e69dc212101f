import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { collectHarness, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import { RecordingProvider, reply } from "../../devkit/collect-harness/recording-provider.ts";
import type { ModelSpec } from "../contracts/model-spec.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult } from "../core/types.ts";
import { realClock } from "./clock.ts";

// Issue 10, item 5: the per-attempt deadline timed the SDK's first import, so a cold run with a
// short --timeout-ms charged timeouts (at their worst case) for requests that never left. The
// hosted adapters load their SDK and build their client on first use, as this provider does;
// the collector prepares every provider before it starts any attempt's clock.

/** A provider whose first use loads for `loadMs` (an SDK import), then answers at once. */
class ColdProvider extends RecordingProvider {
  loads = 0;
  private loading: Promise<void> | undefined;
  constructor(
    private readonly loadMs: number,
    id: string,
  ) {
    super({ id });
  }

  private load(): Promise<void> {
    this.loading ??= sleep(this.loadMs).then(() => {
      this.loads++;
    });
    return this.loading;
  }

  async prepare(_spec: ModelSpec): Promise<void> {
    await this.load();
  }

  override async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    await this.load();
    return super.complete(spec, request, ctx);
  }
}

describe("the per-attempt deadline", () => {
  it("starts after the provider has loaded: a slow first load charges no timeout", async () => {
    const a = new ColdProvider(300, "cold-a");
    const b = new ColdProvider(300, "cold-b");
    const h = collectHarness({ models: { a, b }, timeoutMs: 100, clock: realClock, retry: { maxAttempts: 1 } });
    const items = testItems(6);
    const results = await Promise.all(
      items.flatMap((i) => [h.caller.call(i, "a", testRequest(i)), h.caller.call(i, "b", testRequest(i))]),
    );
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(h.stats.timedOut).toBe(0);
    expect(h.budget.timedOutUsd).toBe(0);
    // Both loaded once, before any request: one provider's load never ran inside the other's deadlines.
    expect([a.loads, b.loads]).toEqual([1, 1]);
    expect(a.calls).toHaveLength(6);
  });

  it("still bounds the request itself", async () => {
    const slow = new RecordingProvider({
      script: async (c) => {
        await sleep(400);
        return reply(c.request);
      },
    });
    const h = collectHarness({ models: { m: slow }, timeoutMs: 100, clock: realClock, retry: { maxAttempts: 1 } });
    const [item] = testItems(1);
    const result = await h.caller.call(item!, "m", testRequest(item!));
    expect(result.error).toMatch(/no answer within 100 ms/);
    expect(h.stats.timedOut).toBe(1);
  });
});
