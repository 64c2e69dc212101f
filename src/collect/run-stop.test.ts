import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_PRICING } from "../../devkit/collect-harness/collect-harness.ts";
import { errors, RecordingProvider, reply, yieldToLoop } from "../../devkit/collect-harness/recording-provider.ts";
import { resolveEval } from "../config/load-eval.ts";
import { ExitCode, RunError } from "../core/errors.ts";
import { runEval } from "../evaluate/run-eval.ts";
import { costOfUsage } from "../pricing/cost.ts";
import { defaultPriceBook } from "../pricing/price-book.ts";
import { createProviderRegistry } from "../providers/registry.ts";
import { OutcomeStore } from "../store/outcome-store.ts";
import { errorShareFailure } from "./error-share.ts";

// runEval with a scripted hosted provider: how a run stops, and what it leaves behind.

function setup(n: number) {
  const dir = mkdtempSync(join(tmpdir(), "rg-stop-"));
  const dataset = join(dir, "items.jsonl");
  writeFileSync(
    dataset,
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ id: `q${i}`, input: `What is ${i} + ${i}?`, expected: `${2 * i}` }),
    ).join("\n"),
  );
  const config = resolveEval(
    {
      name: "stop",
      dataset,
      models: [
        { id: "small", provider: "openai", model: "rec-small", pricing: TEST_PRICING },
        { id: "large", provider: "openai", model: "rec-large", pricing: { input: 10, output: 40 } },
      ],
      scorer: "exact",
      request: { maxTokens: 300 },
      split: false,
    },
    "test",
    dir,
  );
  return { config, store: OutcomeStore.open(join(dir, "store.sqlite")) };
}

const quiet = () => ({ start() {}, tick() {}, stop() {} });

describe("a run the budget stops", () => {
  it("fails with exit 3 saying what was spent and reserved, keeps every outcome, and the next run continues", async () => {
    const { config, store } = setup(120);
    const provider = new RecordingProvider({
      id: "openai",
      script: async (c) => {
        await yieldToLoop();
        return reply(c.request, { text: `${2 * Number(c.itemId.slice(1))}`, outputTokens: 20 });
      },
    });
    const base = {
      store,
      registry: createProviderRegistry([provider]),
      prices: defaultPriceBook(),
      runId: "r1",
      offline: false,
      concurrency: 16,
      progress: quiet,
    };
    const err = await runEval(config, { ...base, maxCostUsd: 0.01 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).exitCode).toBe(ExitCode.RunFailed);
    expect((err as RunError).message).toMatch(/--max-cost budget of \$0\.01: spent \$[0-9.e-]+, reserved \$0 /);
    const done = provider.succeeded();
    const priceOf = (model: string) => (model === "small" ? TEST_PRICING : { input: 10, output: 40 });
    const spent = done.reduce((s, c) => s + costOfUsage(c.outcome.usage, priceOf(c.model)), 0);
    expect(spent).toBeLessThanOrEqual(0.01);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(240);
    expect(store.count()).toBe(done.length);
    expect(provider.inFlight).toBe(0);

    const again = new RecordingProvider({
      id: "openai",
      script: (c) => reply(c.request, { text: `${2 * Number(c.itemId.slice(1))}`, outputTokens: 20 }),
    });
    const result = await runEval(config, { ...base, runId: "r2", registry: createProviderRegistry([again]) });
    expect(result.summary.collection).toMatchObject({
      providerCalls: 240 - done.length,
      fromStore: done.length,
      budgetUsd: null,
      timedOut: 0,
    });
    expect(again.calls).toHaveLength(240 - done.length);
    store.close();
  });

  it("reports spending, timeouts and the failures it met in summary.json", async () => {
    const { config, store } = setup(30);
    const provider = new RecordingProvider({
      id: "openai",
      script: (c) => {
        if (c.itemId === "q3") throw errors.badRequest();
        if (c.itemId === "q4") return new Promise(() => {});
        return reply(c.request, { text: "0", outputTokens: 5 });
      },
    });
    const result = await runEval(config, {
      store,
      registry: createProviderRegistry([provider]),
      prices: defaultPriceBook(),
      runId: "r",
      offline: false,
      concurrency: 8,
      progress: quiet,
      timeoutMs: 20,
      retry: { maxAttempts: 1 },
      maxCostUsd: 5,
    });
    const c = result.summary.collection;
    expect(c).toMatchObject({ budgetUsd: 5, timedOut: 2, errors: 4 });
    expect(c.spentUsd).toBeGreaterThan(0);
    expect(c.failures?.map((f) => `${f.model} ${f.itemId} ${f.code}`)).toEqual([
      "large q3 bad_request",
      "large q4 timeout",
      "small q3 bad_request",
      "small q4 timeout",
    ]);
    expect(errorShareFailure("stop", c, 0.1)).toBeNull();
    expect(errorShareFailure("stop", c, 0.05)?.exitCode).toBe(ExitCode.RunFailed);
    store.close();
  });
});

describe("errorShareFailure", () => {
  it("fails a run above the share, counting stored and new outcomes", () => {
    expect(errorShareFailure("e", { errors: 10, fromStore: 50, providerCalls: 50 }, 0.1)).toBeNull();
    const err = errorShareFailure("e", { errors: 11, fromStore: 50, providerCalls: 50 }, 0.1);
    expect(err?.message).toMatch(/11 of 100 outcomes are errors \(11\.0%\), above --max-error-share 0\.1/);
    expect(errorShareFailure("e", { errors: 0, fromStore: 0, providerCalls: 0 }, 0)).toBeNull();
  });
});
