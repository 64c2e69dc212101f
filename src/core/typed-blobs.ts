// Typed-array columns kept as SQLite blobs (the dataset and replay indexes beside the store).

type Column = Uint8Array | Uint32Array | Float64Array;
type ColumnOf<T extends Column> = { new (n: number): T; BYTES_PER_ELEMENT: number };

/** A column's bytes as a blob to store (no copy). */
export function blobOf(column: Column): Buffer {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength);
}

/**
 * A column of `n` values read back from a blob, or undefined when the blob does not hold exactly
 * that many. Copied out: a blob's bytes need not sit where a Float64Array may start.
 */
export function columnOf<T extends Column>(kind: ColumnOf<T>, blob: Uint8Array, n: number): T | undefined {
  if (blob.length !== n * kind.BYTES_PER_ELEMENT) return undefined;
  const column = new kind(n);
  new Uint8Array(column.buffer).set(blob);
  return column;
}
