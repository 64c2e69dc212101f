import { describe, expect, it } from "vitest";
import type { Usage } from "../core/types.ts";
import { measuredThroughput } from "./throughput.ts";

const usage = (output: number, reasoning = 0): Usage => ({
  input: { noCache: 100, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
  output: { text: output, reasoning },
});

describe("measuredThroughput", () => {
  it("takes tokens over the wall-clock span when calls say when they finished", () => {
    // Two overlapping calls: 0-2 s and 1-3 s; 300 tokens over 3 s.
    const m = measuredThroughput([
      { usage: usage(100), latencyMs: 2000, finishedAtMs: 12_000 },
      { usage: usage(150, 50), latencyMs: 2000, finishedAtMs: 13_000 },
    ]);
    expect(m).toEqual({ outputTokensPerSec: 100, basis: "wall-clock", calls: 2, outputTokens: 300, seconds: 3 });
  });

  it("falls back to one stream's rate (times the concurrency when given)", () => {
    const samples = [
      { usage: usage(100), latencyMs: 1000 },
      { usage: usage(300), latencyMs: 3000 },
    ];
    expect(measuredThroughput(samples)).toMatchObject({ outputTokensPerSec: 100, basis: "per-stream", seconds: 4 });
    expect(measuredThroughput(samples, { concurrency: 8 })?.outputTokensPerSec).toBe(800);
  });

  it("skips failures and zero latencies, and is undefined with nothing usable", () => {
    expect(
      measuredThroughput([
        { usage: null, latencyMs: 500 },
        { usage: usage(10), latencyMs: 0 },
        { usage: usage(50), latencyMs: 500 },
      ]),
    ).toMatchObject({ calls: 1, outputTokensPerSec: 100 });
    expect(measuredThroughput([])).toBeUndefined();
    expect(measuredThroughput([{ usage: null, latencyMs: 10 }])).toBeUndefined();
  });
});
