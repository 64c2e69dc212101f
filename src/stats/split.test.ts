import { describe, expect, it } from "vitest";
import { foldOf, isHeldOut, splitHash } from "./split.ts";

// Reference values from Python: int.from_bytes(sha256(b"routegate:" + id).digest()[:8], "big").
describe("hash splits (docs/metrics.md#calibration-and-the-held-out-split)", () => {
  it.each([
    ["gsm8k-test-0000", 9648863519564618779n, false, 4],
    ["a", 385317576573687706n, true, 1],
    ["item-42", 9643455674134452373n, false, 3],
    ["mt-81", 17430206599154998484n, false, 4],
  ])("%s", (id, hash, heldOut, fold5) => {
    expect(splitHash(id)).toBe(hash);
    expect(isHeldOut(id)).toBe(heldOut);
    expect(foldOf(id, 5)).toBe(fold5);
  });

  it("splits 10,000 ids in the proportions Python finds", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `item-${i}`);
    expect(ids.filter((id) => isHeldOut(id)).length).toBe(5056);
    expect(ids.filter((id) => isHeldOut(id, { heldOutFraction: 0.3 })).length).toBe(2973);
  });

  it("compares against the fraction exactly and honours the seed", () => {
    expect(isHeldOut("a", { heldOutFraction: 0 })).toBe(false);
    expect(isHeldOut("a", { heldOutFraction: 1 })).toBe(true);
    // u / 2^64 for "a" is about 0.020888; a tiny fraction exercises the exact BigInt path.
    expect(isHeldOut("a", { heldOutFraction: 0.0209 })).toBe(true);
    expect(isHeldOut("a", { heldOutFraction: 0.0208 })).toBe(false);
    expect(isHeldOut("a", { heldOutFraction: 1e-300 })).toBe(false);
    expect(splitHash("a", "other")).not.toBe(splitHash("a"));
  });
});
