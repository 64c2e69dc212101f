import { describe, expect, it } from "vitest";
import { isPlainRecordedOutcomeLine, RecordedOutcomeLine } from "./recorded-outcome.ts";

// Issue 13: a replay import tests each line with plain type tests before the schema; the test must
// accept nothing the schema refuses, and what it accepts must be what the schema would return.

const full = {
  itemId: "q1",
  model: "m",
  output: "42",
  usage: { inputTokens: 3, cachedInputTokens: 1, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 1 },
  latencyMs: 12.5,
  costUsd: 0.001,
  error: "boom",
  logprobs: { mean: -0.2, min: -3 },
  sample: 2,
};
const minimal = { itemId: "q1", model: "m", output: "" };

const odd: unknown[] = [
  null,
  undefined,
  "text",
  7,
  true,
  [],
  {},
  [1],
  "",
  -1,
  -0,
  0.5,
  1e300,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  { inputTokens: 1 },
  { mean: 1 },
];

/** Every field of both shapes set to each odd value, removed, or joined by an unknown key. */
function variants(): unknown[] {
  const out: unknown[] = [full, minimal, ...odd];
  for (const base of [full, minimal] as Record<string, unknown>[]) {
    for (const key of [...Object.keys(full), "extra"]) {
      const { [key]: _gone, ...without } = base;
      out.push(without);
      for (const v of odd) out.push({ ...base, [key]: v });
    }
    for (const nested of ["usage", "logprobs"] as const) {
      const inner = full[nested] as Record<string, unknown>;
      for (const key of [...Object.keys(inner), "extra"]) {
        const { [key]: _gone, ...without } = inner;
        out.push({ ...base, [nested]: without });
        for (const v of odd) out.push({ ...base, [nested]: { ...inner, [key]: v } });
      }
    }
  }
  out.push(JSON.parse('{"itemId":"q","model":"m","output":"","__proto__":{}}'));
  return out;
}

describe("isPlainRecordedOutcomeLine", () => {
  it("accepts only what the schema accepts, as the schema returns it", () => {
    let accepted = 0;
    let refused = 0;
    for (const v of variants()) {
      const parsed = RecordedOutcomeLine.safeParse(v);
      if (isPlainRecordedOutcomeLine(v)) {
        accepted++;
        expect(parsed.success, JSON.stringify(v)).toBe(true);
        expect(parsed.data).toEqual(v);
      } else if (!parsed.success) refused++;
    }
    // Both sides exercised: lines taken at once and lines left to the schema's error.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(100);
  });

  it("takes the ordinary lines at once: full, minimal, and integers given as 3.0", () => {
    expect(isPlainRecordedOutcomeLine(full)).toBe(true);
    expect(isPlainRecordedOutcomeLine(minimal)).toBe(true);
    expect(isPlainRecordedOutcomeLine(JSON.parse('{"itemId":"q","model":"m","output":"","sample":3.0}'))).toBe(true);
  });
});
