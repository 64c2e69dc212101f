import { describe, expect, it } from "vitest";
import type { CallResult, EmbedRequest, Item } from "../../core/types.ts";
import { hashedTermVector } from "../../providers/local/local-embedder.ts";
import type { FitExample, RouterContext } from "../router.ts";
import { duringCalibrationSweep } from "./cross-fitted.ts";
import { MAX_INDEX_BYTES } from "./knn-index.ts";
import { type KnnScores, knnRouter } from "./knn-router.ts";

const result: CallResult = {
  text: "",
  model: "local:hashed-tfidf",
  requestHash: "h",
  costUsd: 0,
  latencyMs: 0,
  cached: true,
  usage: { input: { noCache: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, output: { text: 0, reasoning: 0 } },
};
/** A context whose embeddings come from `vectorOf` (the local embedder by default). */
function ctx(vectorOf: (text: string) => Float32Array = (t) => hashedTermVector(t)): RouterContext {
  return {
    request: { messages: [], maxTokens: 1 },
    models: ["a", "b"],
    call: () => Promise.reject(new Error("kNN makes no calls")),
    embed: async (_model: string, request: EmbedRequest) => ({ ...result, vector: vectorOf(request.input) }),
  };
}

async function examples(
  router: ReturnType<typeof knnRouter>,
  rows: Array<{ text: string; a: number; b: number }>,
  context = ctx(),
) {
  return Promise.all(
    rows.map(async (r, i): Promise<FitExample<KnnScores>> => {
      const item: Item = { id: `i${i}`, input: r.text };
      return {
        item,
        scores: await router.score(item, context),
        outcomes: [
          { model: "a", score: r.a, costUsd: 0.001 },
          { model: "b", score: r.b, costUsd: 0.002 },
        ],
      };
    }),
  );
}

describe("kNN router", () => {
  it("never counts a calibration item as its own neighbour while the operating point is chosen", async () => {
    const router = knnRouter({ models: ["a", "b"], k: 1 });
    // Two pairs of near-duplicates whose outcomes disagree within each pair.
    const fit = await examples(router, [
      { text: "the parcel arrived damaged", a: 1, b: 0 },
      { text: "the parcel arrived damaged and late", a: 0, b: 1 },
      { text: "what is the capital of france", a: 1, b: 0 },
      { text: "what is the capital city of france", a: 0, b: 1 },
    ]);
    const params = { ...router.params, ...router.fit!(fit, router.params), lambda: 0 };
    expect(params.k).toBe(1);
    for (const [i, e] of fit.entries()) {
      const own = e.outcomes[0]!.score === 1 ? "a" : "b";
      const neighbour = own === "a" ? "b" : "a";
      // Leave-one-out: the vote is the other item of the pair, never the item itself.
      expect(
        duringCalibrationSweep(() => router.decide(e.scores, params).model),
        `item ${i}`,
      ).toBe(neighbour);
      // Outside calibration (held-out items, production) the index is used as it is: the item is there.
      expect(router.decide(e.scores, params).model).toBe(own);
    }
  });

  it("prefers the cheap model as lambda grows, and predicts each model's mean with no index", async () => {
    const router = knnRouter({ models: ["a", "b"] });
    const rows = Array.from({ length: 30 }, (_, i) => ({
      text: `ticket ${i} about ${i % 3 ? "billing" : "login"}`,
      a: i % 3 ? 1 : 0,
      b: 1,
    }));
    const fit = await examples(router, rows);
    const params = { ...router.params, ...router.fit!(fit, router.params) };
    expect(params.costs).toEqual([0.5, 1]);
    const login = (await examples(router, [{ text: "ticket 99 about login", a: 0, b: 1 }]))[0]!.scores;
    const billing = (await examples(router, [{ text: "ticket 98 about billing", a: 1, b: 1 }]))[0]!.scores;
    expect(router.decide(login, { ...params, lambda: 0.3 }).model).toBe("b");
    expect(router.decide(billing, { ...params, lambda: 0.3 }).model).toBe("a");
    expect(router.decide(login, { ...params, lambda: 10 }).model).toBe("a");
    expect(router.decide(login, { ...router.params, means: [0.2, 0.9] }).model).toBe("b");
  });

  it("keeps the exported index within the size limit (folding dimensions), with vectors and outcomes but no text", async () => {
    expect(MAX_INDEX_BYTES).toBe(5 * 1024 * 1024);
    const dims = 1024;
    const limit = 256 * 1024;
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    const vectors = new Map<string, Float32Array>();
    const router = knnRouter({ models: ["a", "b"], embedder: "openai:text-embedding-3-large", maxIndexBytes: limit });
    const rows = Array.from({ length: 300 }, (_, i) => ({ text: `secret item text ${i}`, a: i % 2, b: 1 - (i % 2) }));
    for (const r of rows) vectors.set(r.text, Float32Array.from({ length: dims }, random));
    const fit = await examples(
      router,
      rows,
      ctx((t) => vectors.get(t)!),
    );
    const fitted = router.fit!(fit, router.params);
    const params = { ...router.params, ...fitted };
    const exported = JSON.stringify(params);
    expect(exported.length).toBeLessThanOrEqual(limit);
    // 300 x 1024 int8 values (400 KB in base64) would not fit: the rows were folded to fewer dimensions.
    expect(params.sourceDim).toBe(dims);
    expect(params.dim).toBeLessThan(dims);
    expect(exported).not.toContain("secret item text");
    expect(params.outcomes).toHaveLength(300 * 2);
    // Folding keeps neighbours: in-sample, each item's nearest row is itself.
    const agree = fit
      .slice(0, 50)
      .filter(
        (e) => router.decide(e.scores, { ...params, k: 1, lambda: 0 }).model === (e.outcomes[0]!.score ? "a" : "b"),
      );
    expect(agree.length).toBe(50);
    // The schema accepts what fit wrote, and refuses a truncated index.
    const schema = (
      router.paramsSchema as (c: { models: string[] }) => { safeParse(v: unknown): { success: boolean } }
    )({ models: ["a", "b"] });
    expect(schema.safeParse(params).success).toBe(true);
    expect(schema.safeParse({ ...params, index: params.index.slice(0, 100) }).success).toBe(false);
  }, 60_000);
});
