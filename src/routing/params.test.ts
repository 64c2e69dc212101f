import { describe, expect, it } from "vitest";
import { describeParams } from "./params.ts";

describe("describeParams", () => {
  it("summarises arrays by size and cuts long texts, so a message stays short", () => {
    const weights = Array.from({ length: 1038 }, (_, i) => i / 7);
    const line = describeParams({ threshold: 0.123456, weights, weak: "sim:cheap", note: "x".repeat(500) });
    expect(line).toContain("threshold=0.1235");
    expect(line).toContain("weights=[1038 numbers]");
    expect(line).toContain("weak=sim:cheap");
    expect(line).toContain("(500 chars)");
    expect(line.length).toBeLessThan(200);
    expect(describeParams({ models: ["a", "b"], table: { a: 1, b: 2 } })).toBe("models=[a, b], table={2 keys}");
  });
});
