import { describe, expect, it } from "vitest";
import { FakeClock } from "./clock.ts";
import { TokenBucket } from "./token-bucket.ts";

describe("TokenBucket", () => {
  it("spaces requests at the per-minute rate once the burst is spent", async () => {
    const clock = new FakeClock();
    const rpm = new TokenBucket(60, 1, clock);
    const admitted: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => rpm.take(1).then(() => admitted.push(clock.now()))));
    expect(admitted).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it("lets a burst of `capacity` through at once, then refills continuously", async () => {
    const clock = new FakeClock();
    const rpm = new TokenBucket(600, 10, clock);
    const admitted: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => rpm.take(1).then(() => admitted.push(clock.now()))));
    expect(admitted.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(admitted.slice(10)).toEqual([100, 200]);
  });

  it("admits a taker larger than the capacity from a full bucket and makes later ones wait off the debt", async () => {
    const clock = new FakeClock();
    const tpm = new TokenBucket(60_000, 1000, clock); // 1000 tokens per second, burst 1000
    await tpm.take(3000);
    expect(clock.now()).toBe(0);
    await tpm.take(1000); // debt of 2000 plus 1000 more: 3 s
    expect(clock.now()).toBe(3000);
  });

  it("gives back over-charged tokens (a TPM estimate reconciled after the call)", async () => {
    const clock = new FakeClock();
    const tpm = new TokenBucket(60_000, 1000, clock);
    await tpm.take(1000);
    tpm.adjust(800); // the call used 200 of the 1000 estimated
    await tpm.take(800);
    expect(clock.now()).toBe(0);
    tpm.adjust(-500); // under-estimated: charge the rest, later takers wait for it
    await tpm.take(500);
    expect(clock.now()).toBe(1000);
  });
});
