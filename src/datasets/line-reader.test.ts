import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import { forEachLine } from "./line-reader.ts";
import { loadDataset } from "./load-dataset.ts";

// Issue 13, item 3: datasets and recorded outcomes are read line by line, a chunk at a time (a
// 1M-item dataset was read into one string past Node's limit and failed with an internal error).

const dir = mkdtempSync(join(tmpdir(), "line-reader-"));

/** ~3 MB over several 1 MB chunks: lines cross chunk ends, some with multi-byte characters and CRLF. */
function bigLines(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `i${i}`, input: `${"é€ ".repeat(i % 50)}question ${i} ${"x".repeat(200)}`, expected: "y" }),
  );
}

describe("forEachLine", () => {
  it("reads lines across chunk ends with their numbers, skips blanks, and hashes the bytes", () => {
    const lines = bigLines(12_000);
    const text = `${lines.slice(0, 5000).join("\n")}\n\n${lines.slice(5000).join("\r\n")}`;
    const file = join(dir, "big.jsonl");
    writeFileSync(file, text);
    const seen: [string, number][] = [];
    const hash = forEachLine(file, "test lines", (t, n) => seen.push([t, n]));
    expect(seen).toHaveLength(lines.length);
    expect(seen[4999]).toEqual([lines[4999], 5000]);
    // Line 5001 is blank: the next record is on line 5002.
    expect(seen[5000]).toEqual([lines[5000], 5002]);
    expect(seen.map((s) => s[0])).toEqual(lines);
    expect(hash).toBe(createHash("sha256").update(text).digest("hex"));

    const gz = join(dir, "big.jsonl.gz");
    writeFileSync(gz, gzipSync(text));
    const fromGz: string[] = [];
    expect(forEachLine(gz, "test lines", (t) => fromGz.push(t))).toBe(hash);
    expect(fromGz).toEqual(lines);
  });

  it("a bad line deep in a big dataset is named by its line number; a missing file is bad input", () => {
    const lines = bigLines(9000);
    lines[8123] = '{"id": "broken", "input": }';
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, lines.join("\n"));
    expect(() => loadDataset(file)).toThrow(/bad\.jsonl.*line 8124.*not valid JSON/);
    expect(() => loadDataset(join(dir, "absent.jsonl"))).toThrow(InputError);
    expect(() => loadDataset(dir)).toThrow(InputError);
  });

  it("a dataset keeps its provenance hash: sha256 of the file's bytes", () => {
    const lines = bigLines(300);
    const file = join(dir, "items.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const ds = loadDataset(file);
    expect(ds.items).toHaveLength(300);
    expect(ds.items[299]!.id).toBe("i299");
    expect(ds.hash).toBe(
      createHash("sha256")
        .update(`${lines.join("\n")}\n`)
        .digest("hex"),
    );
  });
});
