import { describe, expect, it } from "vitest";
import { createLocalEmbedder, hashedTermVector, localTerms } from "./local-embedder.ts";

describe("the local embedder (hashed term frequencies, no network)", () => {
  const embedder = createLocalEmbedder();
  const spec = { id: "local:hashed-tfidf", provider: "local" as const, model: "hashed-tfidf" };
  const ctx = { identity: { itemId: "i", role: "embed" as const, sample: 0, parents: [] } };

  it("gives a unit vector that depends on the words only, the same every time", async () => {
    const a = await embedder.embed!(spec, { input: "Refund my order, please!" }, ctx);
    const b = await embedder.embed!(spec, { input: "refund my ORDER please" }, ctx);
    expect(a.vector).toHaveLength(1024);
    expect(Array.from(a.vector)).toEqual(Array.from(b.vector));
    const norm = Math.sqrt(a.vector.reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
    // No provider, no bill.
    expect(a.usage.input.noCache).toBe(0);
  });

  it("similar texts are closer than unrelated ones; dimensions are honoured", () => {
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    const q = hashedTermVector("the parcel arrived damaged and late");
    const near = hashedTermVector("my parcel arrived late and damaged");
    const far = hashedTermVector("what is the capital of france");
    expect(dot(q, near)).toBeGreaterThan(dot(q, far) + 0.3);
    expect(hashedTermVector("x y z", 64)).toHaveLength(64);
  });

  it("counts words, word pairs and character 4-grams, sublinearly", () => {
    const terms = localTerms("spam spam eggs");
    expect(terms.get("w:spam")).toBe(2);
    expect(terms.get("b:spam eggs")).toBe(1);
    expect(terms.get("c: spa")).toBe(2);
  });

  it("cannot answer requests: it is an embedder only", async () => {
    expect(embedder.embedOnly).toBe(true);
    await expect(embedder.complete(spec, { messages: [], maxTokens: 1 }, ctx)).rejects.toThrow(/embedding model/);
    expect(() => embedder.validate!({ ...spec, model: "nope" }, { file: "f", where: "w" })).toThrow(
      /unknown local embedder/,
    );
  });
});
