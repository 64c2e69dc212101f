import { wilsonInterval, Z95 } from "./wilson.ts";

/** a = both right, b = incumbent right only, c = candidate right only, d = both wrong. */
export interface PairedTable {
  a: number;
  b: number;
  c: number;
  d: number;
}

export interface DeltaInterval {
  /** Q_candidate - Q_incumbent. */
  delta: number;
  lower: number;
  upper: number;
}

/**
 * Newcombe's hybrid score interval for a paired difference of proportions, exactly as docs/metrics.md
 * section 6 writes it (his method 10, with the phi correction for the pairing).
 */
export function newcombePairedInterval(table: PairedTable, z = Z95): DeltaInterval {
  const { a, b, c, d } = table;
  for (const v of [a, b, c, d]) {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`newcombePairedInterval: counts must be integers >= 0`);
  }
  const n = a + b + c + d;
  if (n === 0) return { delta: 0, lower: -1, upper: 1 };
  const p1 = (a + b) / n;
  const p2 = (a + c) / n;
  const [l1, u1] = wilsonInterval(a + b, n, z);
  const [l2, u2] = wilsonInterval(a + c, n, z);
  const root = Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
  const phi = root === 0 ? 0 : (a * d - b * c) / root;
  const delta = p2 - p1;
  const lowerLeg = Math.sqrt((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2);
  const upperLeg = Math.sqrt((u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2);
  return { delta, lower: delta - lowerLeg, upper: delta + upperLeg };
}

/** Builds the 2x2 table from aligned binary scores of the same items. */
export function pairedTable(incumbent: ArrayLike<number>, candidate: ArrayLike<number>): PairedTable {
  if (incumbent.length !== candidate.length) {
    throw new RangeError(`pairedTable: ${incumbent.length} incumbent scores vs ${candidate.length} candidate scores`);
  }
  const t: PairedTable = { a: 0, b: 0, c: 0, d: 0 };
  for (let i = 0; i < incumbent.length; i++) {
    const x = incumbent[i];
    const y = candidate[i];
    if ((x !== 0 && x !== 1) || (y !== 0 && y !== 1)) {
      throw new RangeError(`pairedTable: item ${i} is not binary (${x}, ${y}); use the paired bootstrap`);
    }
    if (x === 1) {
      if (y === 1) t.a++;
      else t.b++;
    } else if (y === 1) t.c++;
    else t.d++;
  }
  return t;
}
