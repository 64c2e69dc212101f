import { describe, expect, it } from "vitest";
import { featureDot, featureMatrix, RowPacker } from "./feature-row.ts";
import { dot, everyNthRow, rowDot, type SparseRow, toSparseMatrix } from "./sparse.ts";

// Compact rows must give exactly what plain arrays gave: the same columns, the same doubles, and
// the same sums to the bit (Object.is, so a -0 or a last-bit difference fails).

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A row like a hashed one: ~n columns below `dim`, a few distinct values, and some awkward ones. */
function row(rng: () => number, n: number, dim: number, distinct: number): SparseRow {
  const columns = new Set<number>();
  while (columns.size < n) columns.add(Math.floor(rng() * dim));
  const index = [...columns].sort((a, b) => a - b);
  const pool = Array.from({ length: distinct }, (_, k) => (k % 2 ? -1 : 1) * (1 / Math.sqrt(k + 3)));
  pool.push(-0, 0, 1e-300, 0.1 + 0.2);
  return { index, value: index.map(() => pool[Math.floor(rng() * pool.length)]!) };
}

describe("compact feature rows", () => {
  const rng = random(7);
  const dim = 1100;
  const rows = [
    ...Array.from({ length: 300 }, () => row(rng, 20 + Math.floor(rng() * 200), dim, 12)),
    row(rng, 600, dim, 400), // more distinct values than 1-byte codes hold: a slab of its own
    { index: [], value: [] },
    row(rng, 1000, dim, 3),
  ];
  const weights = Array.from({ length: 2 * (dim + 1) }, () => rng() * 4 - 2);

  it("read back the same columns and values, and write the same JSON", () => {
    const packer = new RowPacker(dim);
    for (const r of rows) {
      const packed = packer.pack(r.index, r.value);
      expect(packed.length).toBe(r.index.length);
      expect(packed.index).toEqual(r.index);
      expect(packed.value.every((v, p) => Object.is(v, r.value[p]))).toBe(true);
      expect(JSON.stringify({ x: packed })).toBe(JSON.stringify({ x: r }));
    }
  });

  it("score as dot() does, bit for bit, at any offset and width", () => {
    const packer = new RowPacker(dim);
    const packed = rows.map((r) => packer.pack(r.index, r.value));
    for (const [i, r] of rows.entries()) {
      expect(Object.is(featureDot(weights, packed[i]!), dot(weights, r))).toBe(true);
      expect(Object.is(featureDot(weights, packed[i]!, dim + 1, dim + 1), dot(weights, r, dim + 1, dim + 1))).toBe(
        true,
      );
      expect(featureDot([], packed[i]!)).toBe(0);
    }
    // -0 kept apart from 0: a row whose only entry is -0 under a -0 bias sums to -0, as plain arrays do.
    const signed = packer.pack([0, 1], [0, -0]);
    expect(Object.is(featureDot([1, 1, -0], packer.pack([1], [-0])), -0)).toBe(true);
    expect(signed.value.map((v) => Object.is(v, -0))).toEqual([false, true]);
  });

  it("make the same fit matrix as plain rows, and the same sample of it", () => {
    const packer = new RowPacker(dim);
    const m = featureMatrix(rows.map((r) => packer.pack(r.index, r.value)));
    const plain = toSparseMatrix(rows);
    const w = Float64Array.from(weights.slice(0, dim + 1));
    expect(m.rows).toBe(rows.length);
    for (let i = 0; i < rows.length; i++) {
      expect(Object.is(rowDot(w, m, i), dot(w, rows[i]!))).toBe(true);
      expect(Object.is(rowDot(w, plain, i), dot(w, rows[i]!))).toBe(true);
    }
    const sample = everyNthRow(m, 7);
    const picked = rows.filter((_, i) => i % 7 === 0);
    expect(sample.rows).toBe(picked.length);
    for (let r = 0; r < picked.length; r++) expect(Object.is(rowDot(w, sample, r), dot(w, picked[r]!))).toBe(true);
  });
});
