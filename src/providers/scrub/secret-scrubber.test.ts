import { describe, expect, it } from "vitest";
import { REDACTED_KEY as R, SecretScrubber } from "./secret-scrubber.ts";
import { StreamScrubber } from "./stream-scrubber.ts";

const KEY = "sk-live-0123456789abcdef";

describe("SecretScrubber", () => {
  it("replaces every occurrence of every secret, and leaves text without one untouched", () => {
    const s = new SecretScrubber([KEY, "AIzaSyD-second-key-000"]);
    expect(s.scrub(`a ${KEY} b ${KEY}c AIzaSyD-second-key-000.`)).toBe(`a ${R} b ${R}c ${R}.`);
    const clean = "nothing secret here";
    expect(s.scrub(clean)).toBe(clean);
    expect(s.finds(clean)).toBe(false);
    expect(s.finds(`x${KEY}`)).toBe(true);
  });

  it("ignores values shorter than 8 characters: placeholders such as EMPTY or none are not secrets", () => {
    const s = new SecretScrubber(["EMPTY", "none", "1234567", undefined, null, ""]);
    expect(s.empty).toBe(true);
    expect(s.scrub("EMPTY none 1234567")).toBe("EMPTY none 1234567");
    const withKey = new SecretScrubber(["EMPTY", "12345678"]);
    expect(withKey.scrub("EMPTY 12345678")).toBe(`EMPTY ${R}`);
  });

  it("overlapping and nested secrets leave no fragment of either", () => {
    const s = new SecretScrubber(["abcdefgh12", "gh12345678", "abcdefgh"]);
    // Replacing "abcdefgh12" first would cut "gh12345678" and leave "345678" behind.
    expect(s.scrub("xxabcdefgh12345678yy")).toBe(`xx${R}yy`);
    // A secret inside a longer one, and a secret occurring twice with overlap.
    expect(s.scrub("[abcdefgh]")).toBe(`[${R}]`);
    const rep = new SecretScrubber(["aaaaaaaa"]);
    expect(rep.scrub("-aaaaaaaaaaa-")).toBe(`-${R}-`);
  });
});

/** Streams `text` in the given chunk sizes (cycled) and returns what came out and the scrubber. */
function streamed(s: SecretScrubber, text: string, sizes: number[]): { out: string; stream: StreamScrubber } {
  const stream = new StreamScrubber(s);
  let out = "";
  for (let at = 0, k = 0; at < text.length; k++) {
    const n = sizes[k % sizes.length]!;
    out += stream.push(text.slice(at, at + n));
    at += n;
  }
  return { out: out + stream.end(), stream };
}

describe("StreamScrubber", () => {
  it("finds a secret split across chunks, at every split point, and passes on no part of it", () => {
    const s = new SecretScrubber([KEY]);
    const text = `before ${KEY} after`;
    for (let cut = 1; cut < text.length; cut++) {
      const stream = new StreamScrubber(s);
      const first = stream.push(text.slice(0, cut));
      // What was passed on is plain text (and markers) only: not one character of the key.
      expect("before  after".includes(first.replace(R, "")), `cut at ${cut}: ${first}`).toBe(true);
      const out = first + stream.push(text.slice(cut)) + stream.end();
      expect(out, `cut at ${cut}`).toBe(`before ${R} after`);
      expect(stream.redacted).toBe(true);
    }
  });

  it("holds back only the longest secret's length - 1 characters of plain text", () => {
    const stream = new StreamScrubber(new SecretScrubber([KEY]));
    expect(stream.push("p".repeat(100))).toBe("p".repeat(100 - (KEY.length - 1)));
    expect(stream.push(`${KEY.slice(0, 10)}`)).toBe("p".repeat(10));
    expect(stream.push(`${KEY.slice(10)}!`) + stream.end()).toBe(`${"p".repeat(KEY.length - 1 - 10)}${R}!`);
  });

  it("equals the whole-text scrub for any chunking, overlapping secrets included", () => {
    const s = new SecretScrubber(["abcdefgh12", "gh12345678", "zzzzzzzzzz", KEY]);
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ["abcdefgh12", "345678", "zz", "zzzzzzzzzzzz", KEY, "gh12", " ", "word", "abcdefgh", "-"];
    for (let trial = 0; trial < 300; trial++) {
      const text = Array.from({ length: 2 + rand(12) }, () => pieces[rand(pieces.length)]).join("");
      const sizes = Array.from({ length: 1 + rand(4) }, () => 1 + rand(12));
      const { out, stream } = streamed(s, text, sizes);
      expect(out, JSON.stringify({ text, sizes })).toBe(s.scrub(text));
      expect(stream.redacted).toBe(s.finds(text));
      for (const secret of ["abcdefgh12", "gh12345678", "zzzzzzzzzz", KEY]) expect(out).not.toContain(secret);
    }
  });

  it("passes short placeholders and plain text through unchanged, one character at a time", () => {
    const s = new SecretScrubber(["EMPTY", KEY]);
    const text = "EMPTY is not a key; neither is none.";
    const { out, stream } = streamed(s, text, [1]);
    expect(out).toBe(text);
    expect(stream.redacted).toBe(false);
  });
});
