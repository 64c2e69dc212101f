import { describe, expect, it } from "vitest";
import { categoricalPsi, decileEdges, ksStatistic, psi } from "./drift.ts";

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("drift statistics", () => {
  it("KS D is 0 for identical samples, 1 for disjoint ones, and the CDF gap in between", () => {
    const a = range(100, (i) => i);
    expect(ksStatistic(a, a)).toBe(0);
    expect(
      ksStatistic(
        a,
        range(100, (i) => i + 1000),
      ),
    ).toBe(1);
    // Shifted by 30 of 100 values: the CDFs part by 0.3.
    expect(
      ksStatistic(
        a,
        range(100, (i) => i + 30),
      ),
    ).toBeCloseTo(0.3, 10);
  });

  it("PSI is near 0 for the same distribution and above 0.2 for a clear shift", () => {
    const ref = range(1000, (i) => i % 100);
    expect(
      psi(
        ref,
        range(500, (i) => (i * 7) % 100),
      ),
    ).toBeLessThan(0.02);
    expect(
      psi(
        ref,
        range(500, (i) => 50 + (i % 100)),
      ),
    ).toBeGreaterThan(0.2);
    expect(decileEdges(ref)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it("PSI over decision shares: 50/50 -> 90/10 alarms, 50/50 -> 52/48 does not", () => {
    const ref = [...Array(50).fill("weak"), ...Array(50).fill("strong")];
    expect(categoricalPsi(ref, [...Array(90).fill("weak"), ...Array(10).fill("strong")])).toBeGreaterThan(0.2);
    expect(categoricalPsi(ref, [...Array(52).fill("weak"), ...Array(48).fill("strong")])).toBeLessThan(0.01);
  });
});
