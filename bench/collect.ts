import OpenAI from "openai";
import pLimit from "p-limit";
import { startFakeProvider } from "../devkit/fake-provider/server.ts";
import { resolveEval } from "../src/config/load-eval.ts";
import type { ChatRequest, Item } from "../src/core/types.ts";
import { runSession } from "../src/evaluate/session/run-session.ts";
import { defaultPriceBook } from "../src/pricing/price-book.ts";
import { createProviderRegistry } from "../src/providers/registry.ts";
import { OutcomeStore } from "../src/store/outcome-store.ts";

/**
 * Collection overhead: routegate collecting N outcomes from the local fake OpenAI server (zero
 * latency) at concurrency 64, against a plain loop of the raw `openai` SDK with p-limit at the
 * same concurrency, measured in the same process and interleaved so drift hits both.
 */
export async function benchCollect(opts: { items?: number; rounds?: number; memoryItems?: number } = {}) {
  const n = opts.items ?? 2000;
  const rounds = opts.rounds ?? 3;
  const server = await startFakeProvider();
  process.env.OPENAI_API_KEY = "bench-key";
  process.env.OPENAI_BASE_URL = server.openaiBaseUrl;
  const concurrency = 64;
  try {
    const raw: number[] = [];
    const ours: number[] = [];
    for (let r = 0; r < rounds; r++) {
      raw.push(await rawLoop(server.openaiBaseUrl, n, concurrency, r));
      ours.push(await routegateRun(n, concurrency, `round${r}`).then((x) => x.rate));
      server.reset();
    }
    const best = (xs: number[]) => Math.max(...xs);
    const memory = await routegateRun(opts.memoryItems ?? 10_000, concurrency, "memory");
    return {
      items: n,
      concurrency,
      rawSdkPerSec: best(raw),
      routegatePerSec: best(ours),
      ratio: best(ours) / best(raw),
      peakRssMb: memory.peakRssMb,
      peakHeapMb: memory.peakHeapMb,
      memoryItems: opts.memoryItems ?? 10_000,
    };
  } finally {
    await server.close();
  }
}

async function rawLoop(baseURL: string, n: number, concurrency: number, round: number): Promise<number> {
  const client = new OpenAI({ apiKey: "bench-key", baseURL, maxRetries: 0 });
  const limit = pLimit(concurrency);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      limit(() =>
        client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: `raw ${round} question ${i}` }],
          max_completion_tokens: 16,
        }),
      ),
    ),
  );
  return n / ((performance.now() - start) / 1000);
}

async function routegateRun(
  n: number,
  concurrency: number,
  tag: string,
): Promise<{ rate: number; peakRssMb: number; peakHeapMb: number }> {
  const items: Item[] = Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${i}`,
    input: `${tag} question ${i}`,
    expected: "x",
  }));
  const config = resolveEval(
    {
      name: "bench-collect",
      dataset: "memory",
      models: ["openai:gpt-4o-mini"],
      scorer: "exact",
      routers: [],
      split: false,
    },
    "bench",
    process.cwd(),
  );
  const store = OutcomeStore.open(":memory:");
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 25);
  const start = performance.now();
  try {
    await runSession(
      [
        {
          config,
          runId: tag,
          dataset: { name: "bench", file: "memory", items, hash: tag },
          render: (item): ChatRequest => ({ messages: [{ role: "user", content: String(item.input) }], maxTokens: 16 }),
        },
      ],
      {
        store,
        registry: createProviderRegistry(),
        prices: defaultPriceBook(),
        reportsDir: null,
        offline: false,
        concurrency,
        progress: () => ({ start() {}, tick() {}, stop() {} }),
      },
    );
  } finally {
    clearInterval(timer);
    sample();
    store.close();
  }
  return {
    rate: n / ((performance.now() - start) / 1000),
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
  };
}
