import { describe, expect, it } from "vitest";
import { OutcomeStore } from "./outcome-store.ts";

describe("batches table (schema version 3)", () => {
  it("keeps a submitted batch open until it is marked done, per model", () => {
    const store = OutcomeStore.open(":memory:");
    expect(store.schemaVersion).toBeGreaterThanOrEqual(3);
    store.batches.add({
      provider: "openai",
      batchId: "batch_1",
      modelId: "openai:m",
      status: "submitted",
      hashes: ["h1", "h2"],
    });
    store.batches.add({
      provider: "anthropic",
      batchId: "mb_1",
      modelId: "anthropic:m",
      status: "submitted",
      hashes: ["h3"],
    });
    store.batches.update("openai", "batch_1", "in_progress", false);
    expect(store.batches.open("openai:m")).toEqual([
      expect.objectContaining({ batchId: "batch_1", status: "in_progress", done: false, hashes: ["h1", "h2"] }),
    ]);
    store.batches.update("openai", "batch_1", "completed", true);
    expect(store.batches.open("openai:m")).toEqual([]);
    expect(store.batches.open("anthropic:m").map((b) => b.batchId)).toEqual(["mb_1"]);
    expect(store.batches.all()).toHaveLength(2);
    store.close();
  });
});
