import { render, type SecretScrubber } from "./secret-scrubber.ts";

/**
 * Scrubs text that arrives in chunks (a streamed answer): a secret split across two chunks is
 * still found. Each push returns what is safe to pass on and holds back the tail that could be
 * the start of a secret (up to the longest secret's length - 1 characters, more only while a
 * found secret touches the tail). The concatenated output equals `scrubber.scrub` of the whole text.
 */
export class StreamScrubber {
  private pending = "";
  private found = false;

  constructor(private readonly scrubber: SecretScrubber) {}

  /** True once a secret was replaced in the text passed on so far. */
  get redacted(): boolean {
    return this.found;
  }

  /** Takes the next chunk; returns the scrubbed text that can be passed on now (maybe ""). */
  push(chunk: string): string {
    const text = this.pending + chunk;
    const mask = this.scrubber.coverage(text);
    // Any secret starting before `cut` ends inside `text`, so it has been found in full.
    let cut = Math.max(0, text.length - Math.max(0, this.scrubber.longest - 1));
    // Never cut through (or right after) a found secret: an overlapping one may still be arriving,
    // and the next push must see the whole run again to replace it with a single marker.
    if (mask) while (cut > 0 && mask[cut - 1] === 1) cut = mask.lastIndexOf(0, cut - 1) + 1;
    this.pending = text.slice(cut);
    return this.emit(text, mask, cut);
  }

  /** The end of the stream: the held-back tail, scrubbed. */
  end(): string {
    const text = this.pending;
    this.pending = "";
    return this.emit(text, this.scrubber.coverage(text), text.length);
  }

  private emit(text: string, mask: Uint8Array | null, cut: number): string {
    if (!mask || mask.subarray(0, cut).indexOf(1) === -1) return text.slice(0, cut);
    this.found = true;
    return render(text, mask, cut);
  }
}
