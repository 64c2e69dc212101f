// One mechanism keeps keys out of everything routegate writes: a set of secret values, and every
// occurrence of any of them replaced with a fixed marker. Providers' answers, errors and batch
// results pass through it where they leave the provider layer (scrubbed-provider.ts), in
// evaluation and in production alike; streamed text goes through StreamScrubber.

/** What replaces a secret wherever it is found. */
export const REDACTED_KEY = "[redacted key]";

/**
 * Values shorter than this are not secrets: placeholders such as `EMPTY` or `none` (a vLLM server
 * without auth) would otherwise blank out ordinary words of every answer.
 */
export const MIN_SECRET_LENGTH = 8;

export class SecretScrubber {
  /** Distinct secrets, longest first (the order does not change the result, only the work). */
  private readonly secrets: readonly string[];

  constructor(values: Iterable<string | null | undefined>) {
    const distinct = new Set<string>();
    for (const v of values) if (typeof v === "string" && v.length >= MIN_SECRET_LENGTH) distinct.add(v);
    this.secrets = [...distinct].sort((a, b) => b.length - a.length);
  }

  static readonly none = new SecretScrubber([]);

  /** True when there is nothing to scrub. */
  get empty(): boolean {
    return this.secrets.length === 0;
  }

  /** The length of the longest secret (0 when none): how much a stream must hold back. */
  get longest(): number {
    return this.secrets[0]?.length ?? 0;
  }

  /** Whether `text` holds any secret. */
  finds(text: string | null | undefined): boolean {
    return typeof text === "string" && this.secrets.some((s) => text.includes(s));
  }

  /** `text` with every secret replaced by the marker; the same string when it holds none. */
  scrub(text: string): string {
    const mask = this.coverage(text);
    return mask ? render(text, mask, text.length) : text;
  }

  /**
   * Which characters of `text` belong to some occurrence of a secret (null: none). Occurrences are
   * found on the original text and merged, so overlapping or nested secrets leave no fragment
   * behind (replacing one secret first could cut another one's occurrence in two).
   */
  coverage(text: string): Uint8Array | null {
    let mask: Uint8Array | null = null;
    for (const secret of this.secrets) {
      for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
        mask ??= new Uint8Array(text.length);
        mask.fill(1, at, at + secret.length);
      }
    }
    return mask;
  }
}

/** text[0, end) with each run of covered characters replaced by one marker. */
export function render(text: string, mask: Uint8Array, end: number): string {
  let out = "";
  let from = 0;
  while (from < end) {
    const start = mask.indexOf(1, from);
    if (start === -1 || start >= end) break;
    const stop = mask.indexOf(0, start);
    out += text.slice(from, start) + REDACTED_KEY;
    from = stop === -1 || stop > end ? end : stop;
  }
  return out + text.slice(from, end);
}
