import { describe, expect, it } from "vitest";
import { costOfUsage } from "./cost.ts";
import { resultCost } from "./result-cost.ts";

const usage = {
  input: { noCache: 1000, cacheRead: 2000, cacheWrite5m: 0, cacheWrite1h: 0 },
  output: { text: 100, reasoning: 0 },
};
const pricing = { input: 1, cachedInput: 0.1, output: 5, batchMultiplier: 0.4 };

describe("resultCost: the one cost rule", () => {
  it("prices usage at the model's price, at the batch price where the batch tier billed the call", () => {
    const standard = resultCost({ usage }, pricing);
    expect(standard).toEqual({ usd: (1000 + 200 + 500) / 1e6, estimated: false, basis: "usage" });
    const batch = resultCost({ usage, serviceTier: "batch" }, pricing);
    expect(batch.usd).toBeCloseTo(standard.usd * 0.4, 15);
    expect(resultCost({ usage, serviceTier: "flex" }, pricing).usd).toBe(standard.usd);
  });

  it("uses a recorded cost only where usage is unknown or estimated, and says when usage is estimated", () => {
    // Exact usage beats the recorded bill: the price table in force decides.
    expect(resultCost({ usage, recordedCostUsd: 9 }, pricing).basis).toBe("usage");
    expect(resultCost({ usage, usageEstimated: true, recordedCostUsd: 9 }, pricing)).toEqual({
      usd: 9,
      estimated: false,
      basis: "recorded",
    });
    expect(resultCost({ usage: null, recordedCostUsd: 0.5 }, null)).toEqual({
      usd: 0.5,
      estimated: false,
      basis: "recorded",
    });
    const tokenized = resultCost({ usage, usageEstimated: true }, pricing);
    expect(tokenized).toEqual({ usd: costOfUsage(usage, pricing), estimated: true, basis: "usage" });
  });

  it("a failure or a result without usage costs nothing; usage without a price is flagged, never priced", () => {
    expect(resultCost({ usage, error: "rate limited", recordedCostUsd: 3 }, pricing)).toEqual({
      usd: 0,
      estimated: false,
      basis: "unbilled",
    });
    expect(resultCost({ usage: null }, pricing).basis).toBe("unbilled");
    expect(resultCost({ usage }, null)).toEqual({ usd: 0, estimated: true, basis: "unpriced" });
  });
});
