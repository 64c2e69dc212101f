// Feature hashing ("the hashing trick"): n-grams map to one of 2^bits columns by a fixed hash, so
// the vocabulary needs no fitting and the weight vector has a fixed, modest size that exported
// configs can carry. A second hash bit gives each n-gram a sign, so collisions cancel on average
// instead of adding up.

/** 32-bit FNV-1a over UTF-16 code units: fast, deterministic, and the same in every runtime. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Words: lowercase letter/digit runs; numbers collapse to their digit count ("<n3>") so 120 and 450 share a feature. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) =>
    /^\d+$/.test(w) ? `<n${Math.min(w.length, 6)}>` : w,
  );
}

/**
 * Hashed word 1-2-grams and character 3-grams of a text, under a namespace (so the input and a
 * response do not share columns by construction), as binary presence features, L2-normalised so a
 * long text does not outweigh a short one. Adds into `into` (column -> value).
 */
export function addHashedNgrams(
  into: Map<number, number>,
  text: string,
  namespace: string,
  bits: number,
  opts: { chars?: boolean } = {},
): void {
  const grams = new Set<string>();
  const ws = words(text);
  for (let i = 0; i < ws.length; i++) {
    grams.add(`w:${ws[i]}`);
    if (i > 0) grams.add(`b:${ws[i - 1]} ${ws[i]}`);
  }
  if (opts.chars ?? true) {
    for (const w of ws) {
      const padded = ` ${w} `;
      for (let i = 0; i + 3 <= padded.length; i++) grams.add(`c:${padded.slice(i, i + 3)}`);
    }
  }
  if (grams.size === 0) return;
  const mask = (1 << bits) - 1;
  const scale = 1 / Math.sqrt(grams.size);
  for (const g of grams) {
    const h = fnv1a(`${namespace}|${g}`);
    const column = h & mask;
    const sign = h & 0x80000000 ? -1 : 1;
    into.set(column, (into.get(column) ?? 0) + sign * scale);
  }
}
