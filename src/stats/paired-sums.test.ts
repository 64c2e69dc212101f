import { describe, expect, it } from "vitest";
import { newcombePairedInterval, pairedTable } from "./newcombe.ts";
import { pairedIntervalFromSums, pairedSums } from "./paired-sums.ts";

describe("paired interval from running sums", () => {
  it("binary scores: the sums are the 2x2 table, and the interval is Newcombe's (METRICS fixture)", () => {
    // (a, b, c, d) = (150, 12, 8, 30) -> Delta -0.0200, [-0.0651, 0.0245].
    const reference = [...Array(150).fill(1), ...Array(12).fill(1), ...Array(8).fill(0), ...Array(30).fill(0)];
    const candidate = [...Array(150).fill(1), ...Array(12).fill(0), ...Array(8).fill(1), ...Array(30).fill(0)];
    const sums = pairedSums(reference, candidate);
    expect(sums.binary).toBe(true);
    const interval = pairedIntervalFromSums(sums);
    expect(interval).toEqual(newcombePairedInterval(pairedTable(reference, candidate)));
    expect(interval.delta).toBeCloseTo(-0.02, 4);
    expect(interval.lower).toBeCloseTo(-0.0651, 4);
    expect(interval.upper).toBeCloseTo(0.0245, 4);
  });

  it("graded scores: the paired normal interval of the mean difference", () => {
    const reference = [0.5, 0.25, 1, 0.75, 0.5, 0];
    const candidate = [0.75, 0.25, 0.5, 1, 0.5, 0.25];
    const d = candidate.map((c, i) => c - reference[i]!);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / (d.length - 1));
    const interval = pairedIntervalFromSums(pairedSums(reference, candidate));
    expect(interval.delta).toBeCloseTo(mean, 12);
    expect(interval.lower).toBeCloseTo(mean - 1.959964 * (sd / Math.sqrt(d.length)), 6);
    expect(interval.upper).toBeCloseTo(mean + 1.959964 * (sd / Math.sqrt(d.length)), 6);
  });

  it("counts only the masked items", () => {
    const sums = pairedSums([1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 0, 0]);
    expect(sums).toMatchObject({ n: 2, candidate: 2, reference: 1, both: 1 });
  });
});
