import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HashColumns } from "./hash-columns.ts";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("HashColumns", () => {
  it("gives back each item's hash as it was set", () => {
    const hashes = new HashColumns(3);
    hashes.set(0, sha("a"));
    hashes.set(2, sha("c"));
    expect(hashes.get(0)).toBe(sha("a"));
    expect(hashes.get(2)).toBe(sha("c"));
    expect(hashes.slice(0, 3)).toEqual([sha("a"), "0".repeat(64), sha("c")]);
  });

  it("refuses what is not a sha256 in hex (it would be stored truncated)", () => {
    const hashes = new HashColumns(1);
    expect(() => hashes.set(0, "abc")).toThrow(/not 64 hex digits/);
    expect(() => hashes.set(0, "z".repeat(64))).toThrow(/not 64 hex digits/);
  });
});
