// Feature rows kept compactly: a row's column ids in the narrowest integer array that holds them,
// and its values as small codes into the row's own list of distinct values (a hashed n-gram row
// of ~150 entries holds ~10 distinct values). The values are the same doubles, looked up instead
// of stored per entry, so every product and sum is the same to the bit.

export type IndexArray = Uint16Array | Int32Array;
export type CodeArray = Uint8Array | Uint16Array | Int32Array;

/** Room for `length` column ids below `columns`. */
export function indexArray(columns: number, length: number): IndexArray {
  return columns <= 0x10000 ? new Uint16Array(length) : new Int32Array(length);
}

/** Room for `length` codes into lists of at most `distinct` values. */
export function codeArray(distinct: number, length: number): CodeArray {
  if (distinct <= 0x100) return new Uint8Array(length);
  return distinct <= 0x10000 ? new Uint16Array(length) : new Int32Array(length);
}

/**
 * Writes the codes of values[0..n) into codes[at..at + n) and appends the row's distinct values
 * to `dict` in order of first appearance; returns how many were appended. -0 is never merged with
 * 0 (a Map would): w * -0 and w * 0 differ in sign, and a sum can show it.
 */
export function encodeValues(
  values: ArrayLike<number>,
  n: number,
  codes: { [k: number]: number },
  at: number,
  dict: number[],
): number {
  const first = dict.length;
  const seen = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const v = values[p]!;
    let code = Object.is(v, -0) ? undefined : seen.get(v);
    if (code === undefined) {
      code = dict.length - first;
      dict.push(v);
      if (!Object.is(v, -0)) seen.set(v, code);
    }
    codes[at + p] = code;
  }
  return dict.length - first;
}
