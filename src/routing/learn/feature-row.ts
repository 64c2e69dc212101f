import type { SparseMatrix, SparseRow } from "./sparse.ts";
import { type CodeArray, codeArray, encodeValues, type IndexArray, indexArray } from "./value-codes.ts";

// A learned router's features of one item, kept for the whole evaluation (fit, rank, every
// sweep and the gate read them again). As plain arrays they took ~17 bytes an entry, ~150
// entries an item and router, which made them most of a 200K-item run's memory. Here a row is a
// small object pointing into a slab shared by the rows packed after it: column ids in 2 bytes,
// values as 1-byte codes into the row's distinct values (value-codes.ts), ~3 bytes an entry.
// A slab is freed when no row points into it any more.

/** Entries and distinct values a shared slab holds (~256 KB): a few hundred rows. */
const SLAB_ENTRIES = 1 << 16;
const SLAB_VALUES = 1 << 13;

interface Slab {
  index: IndexArray;
  code: CodeArray;
  dict: Float64Array;
  used: number;
  valuesUsed: number;
}

/** One item's sparse features: columns ascending, values exact (the same doubles as a SparseRow's). */
export class FeatureRow {
  constructor(
    /** @internal */ readonly slab: Slab,
    /** @internal */ readonly at: number,
    readonly length: number,
    /** @internal */ readonly valuesAt: number,
    /** @internal */ readonly distinct: number,
  ) {}

  /** The column ids, as a new array. */
  get index(): number[] {
    return Array.from(this.slab.index.subarray(this.at, this.at + this.length));
  }

  /** The values, as a new array. */
  get value(): number[] {
    const { code, dict } = this.slab;
    return Array.from(code.subarray(this.at, this.at + this.length), (c) => dict[this.valuesAt + c]!);
  }

  /** What a decision log writes: the row as index and value arrays (not the slab it points into). */
  toJSON(): SparseRow {
    return { index: this.index, value: this.value };
  }
}

/** Packs rows into shared slabs; one per router, so rows of one evaluation sit together. */
export class RowPacker {
  private slab: Slab | null = null;
  private codes = new Int32Array(256);
  private readonly values: number[] = [];

  /** `columns`: the router's feature count (column ids are below it). */
  constructor(private readonly columns: number) {}

  /** A row from column ids (ascending) and their values. */
  pack(index: ArrayLike<number>, value: ArrayLike<number>): FeatureRow {
    const n = index.length;
    if (this.codes.length < n) this.codes = new Int32Array(n);
    this.values.length = 0;
    const distinct = encodeValues(value, n, this.codes, 0, this.values);
    const slab = this.room(n, distinct);
    const at = slab.used;
    const valuesAt = slab.valuesUsed;
    for (let p = 0; p < n; p++) {
      slab.index[at + p] = index[p]!;
      slab.code[at + p] = this.codes[p]!;
    }
    for (let d = 0; d < distinct; d++) slab.dict[valuesAt + d] = this.values[d]!;
    slab.used += n;
    slab.valuesUsed += distinct;
    return new FeatureRow(slab, at, n, valuesAt, distinct);
  }

  private room(n: number, distinct: number): Slab {
    // A row too big for a shared slab, or with too many distinct values for 1-byte codes, gets one of its own.
    if (n > SLAB_ENTRIES || distinct > 0x100) return this.newSlab(n, distinct, distinct);
    const s = this.slab;
    if (s && s.used + n <= s.index.length && s.valuesUsed + distinct <= s.dict.length) return s;
    this.slab = this.newSlab(SLAB_ENTRIES, SLAB_VALUES, 0x100);
    return this.slab;
  }

  /** Room for `entries` entries and `values` distinct values, rows holding at most `perRow` each. */
  private newSlab(entries: number, values: number, perRow: number): Slab {
    return {
      index: indexArray(this.columns, entries),
      code: codeArray(perRow, entries),
      dict: new Float64Array(values),
      used: 0,
      valuesUsed: 0,
    };
  }
}

/** dot() of sparse.ts on a FeatureRow: w . x + bias (last weight), the same sum in the same order. */
export function featureDot(
  weights: ArrayLike<number>,
  row: FeatureRow,
  offset = 0,
  width = weights.length - offset,
): number {
  if (width <= 0) return 0;
  let s = weights[offset + width - 1] ?? 0;
  const { index, code, dict } = row.slab;
  const end = row.at + row.length;
  for (let p = row.at; p < end; p++) s += (weights[offset + index[p]!] ?? 0) * dict[row.valuesAt + code[p]!]!;
  return s;
}

/** The rows as one matrix for a fit: their entries copied, ~3 bytes each, into arrays of their own. */
export function featureMatrix(rows: readonly FeatureRow[]): SparseMatrix {
  const n = rows.length;
  const start = new Int32Array(n + 1);
  const dictStart = new Int32Array(n + 1);
  let wide = false;
  let maxDistinct = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    start[i + 1] = start[i]! + r.length;
    dictStart[i + 1] = dictStart[i]! + r.distinct;
    wide ||= r.slab.index instanceof Int32Array;
    maxDistinct = Math.max(maxDistinct, r.distinct);
  }
  const index = indexArray(wide ? Number.MAX_SAFE_INTEGER : 0, start[n]!);
  const code = codeArray(maxDistinct, start[n]!);
  const dict = new Float64Array(dictStart[n]!);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const s = r.slab;
    const to = start[i]! - r.at;
    for (let p = r.at; p < r.at + r.length; p++) {
      index[to + p] = s.index[p]!;
      code[to + p] = s.code[p]!;
    }
    for (let d = 0; d < r.distinct; d++) dict[dictStart[i]! + d] = s.dict[r.valuesAt + d]!;
  }
  return { rows: n, start, index, code, dictStart, dict };
}
