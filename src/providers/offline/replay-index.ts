// Where each record of a recorded-outcomes file lies, by key: a record is read from the file when
// asked for, so a run keeps about 24 bytes per record, never the file's text. Keys are looked up
// by a 53-bit hash (sorted, binary-searched) and confirmed against the line read: two keys that
// share a hash cost a second read, never a wrong answer.

/** The records' places, sorted by key hash (columns of equal length). */
export interface RecordPlaces {
  keyHash: Float64Array;
  offset: Float64Array;
  length: Uint32Array;
  /** 1-based line numbers, for errors that name a record's line. */
  line: Uint32Array;
}

/** A 53-bit hash of a record's key (model and entry key): two 32-bit FNV-1a passes, combined. */
export function keyHash(model: string, key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
  };
  mix(model);
  a = Math.imul(a ^ 0, 0x01000193);
  b = Math.imul(b ^ 0, 0x5bd1e995) ^ (b >>> 15);
  mix(key);
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
}

/** Record places collected in file order, then sorted by key hash (`done`). */
export class PlacesBuilder {
  private n = 0;
  private keyHash = new Float64Array(1024);
  private offset = new Float64Array(1024);
  private length = new Uint32Array(1024);
  private line = new Uint32Array(1024);

  push(hash: number, offset: number, length: number, line: number): void {
    if (this.n === this.keyHash.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.keyHash = grow(this.keyHash);
      this.offset = grow(this.offset);
      this.length = grow(this.length);
      this.line = grow(this.line);
    }
    this.keyHash[this.n] = hash;
    this.offset[this.n] = offset;
    this.length[this.n] = length;
    this.line[this.n] = line;
    this.n++;
  }

  done(): RecordPlaces {
    const n = this.n;
    // Sorted by hash, then by line: of two records with one key, the first in the file comes first.
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const h = this.keyHash;
    order.sort((x, y) => h[x]! - h[y]! || x - y);
    const places: RecordPlaces = {
      keyHash: new Float64Array(n),
      offset: new Float64Array(n),
      length: new Uint32Array(n),
      line: new Uint32Array(n),
    };
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      places.keyHash[i] = h[j]!;
      places.offset[i] = this.offset[j]!;
      places.length[i] = this.length[j]!;
      places.line[i] = this.line[j]!;
    }
    return places;
  }
}

/** Positions (in `places`) of the records whose key hash is `hash`: usually one, none when absent. */
export function candidates(places: RecordPlaces, hash: number): [number, number] {
  const h = places.keyHash;
  let lo = 0;
  let hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (h[mid]! < hash) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < h.length && h[end] === hash) end++;
  return [lo, end];
}
