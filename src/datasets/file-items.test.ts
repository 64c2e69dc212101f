import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { RunError } from "../core/errors.ts";
import type { Item } from "../core/types.ts";
import { type DatasetItems, ITEM_WINDOW } from "./dataset-items.ts";
import { forEachWithMetadata } from "./file-items.ts";
import { itemLocation } from "./item-source.ts";
import { loadDataset, openDataset } from "./load-dataset.ts";

// Issue 13: an eval's dataset is not kept in memory; its items are read again from their lines,
// a window at a time. They must be the very items loadDataset reads, errors still naming the line.

const dir = mkdtempSync(join(tmpdir(), "file-items-"));

/** Lines over several windows: multi-byte characters, CRLF, blank lines, every optional field. */
function datasetText(n: number): string {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: i % 7 === 0 ? i : `q${i}`,
      input: i % 5 === 0 ? { question: `€ ${i}`, context: "é".repeat(i % 40) } : `question ${i} ${"ü€".repeat(i % 30)}`,
      ...(i % 3 ? { expected: i % 2 ? `answer ${i}` : { value: i } } : {}),
      ...(i % 4 === 0 ? { metadata: { feature: `f${i % 3}`, group: `g${i % 11}` } } : {}),
    }),
  );
  return `${lines.slice(0, 100).join("\n")}\n\n  \n${lines.slice(100).join("\r\n")}\n`;
}

function all(items: DatasetItems): Item[] {
  const out: Item[] = [];
  items.forEach((item) => {
    out.push(item);
  });
  return out;
}

describe("openDataset (items read again from the file)", () => {
  const n = 2 * ITEM_WINDOW + 301;
  const file = join(dir, "items.jsonl");
  writeFileSync(file, datasetText(n));

  it("gives the items loadDataset reads, by forEach, slice and at in any order", () => {
    const loaded = loadDataset(file);
    const opened = openDataset(file);
    expect(opened.hash).toBe(loaded.hash);
    expect(opened.name).toBe(loaded.name);
    expect(opened.items.length).toBe(n);
    expect(all(opened.items)).toEqual(loaded.items);
    // Across window ends, and a window far from the last one read.
    expect(opened.items.slice(ITEM_WINDOW - 3, ITEM_WINDOW + 5)).toEqual(
      loaded.items.slice(ITEM_WINDOW - 3, ITEM_WINDOW + 5),
    );
    expect(opened.items.slice(0, n)).toEqual(loaded.items);
    for (const i of [n - 1, 0, ITEM_WINDOW, 17, 2 * ITEM_WINDOW + 5, ITEM_WINDOW - 1]) {
      expect(opened.items.at(i)).toEqual(loaded.items[i]);
    }
    expect(opened.items.at(n)).toBeUndefined();
    expect(opened.items.at(-1)).toBeUndefined();
    expect(opened.items.slice(n - 2, n + 10)).toEqual(loaded.items.slice(n - 2));
  });

  it("names the file and line of an item read again, as loadDataset's items do", () => {
    const opened = openDataset(file);
    const loaded = loadDataset(file);
    for (const i of [3, 150, n - 1]) {
      const location = itemLocation(opened.items.at(i)!, "expected");
      expect(location).toEqual(itemLocation(loaded.items[i]!, "expected"));
      expect(location.file).toBe(file);
    }
    // Items 0-99 are lines 1-100; two blank lines follow, so item 105 (a numeric id) is on line 108.
    expect(itemLocation(opened.items.at(105)!, "input").field).toBe('line 108 (item "105"), field input');
  });

  it("goes over the items with metadata alone, as an array of the same items does", () => {
    const withMetadata = (items: DatasetItems) => {
      const seen: [number, Item][] = [];
      forEachWithMetadata(items, (item, i) => {
        seen.push([i, item]);
      });
      return seen;
    };
    const loaded = loadDataset(file).items;
    const seen = withMetadata(openDataset(file).items);
    expect(seen.map(([i]) => i)).toEqual(loaded.flatMap((item, i) => (item.metadata ? [i] : [])));
    expect(seen).toEqual(withMetadata(loaded));
    expect(seen.length).toBe(Math.ceil(n / 4));
  });

  it("reads a gzipped dataset from its gunzipped bytes", () => {
    const gz = join(dir, "items.jsonl.gz");
    writeFileSync(gz, gzipSync(datasetText(n)));
    const opened = openDataset(gz);
    expect(all(opened.items)).toEqual(loadDataset(file).items);
    expect(opened.items.at(ITEM_WINDOW + 1)).toEqual(loadDataset(gz).items[ITEM_WINDOW + 1]);
    expect(itemLocation(opened.items.at(n - 1)!, "id").file).toBe(gz);
  });

  it("checks every line when opened: a bad line is an error naming file and line", () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, `${JSON.stringify({ id: "a", input: "x" })}\n${JSON.stringify({ id: "b" })}\n`);
    expect(() => openDataset(bad)).toThrow(/bad\.jsonl.*line 2/s);
    const dup = join(dir, "dup.jsonl");
    writeFileSync(dup, `${JSON.stringify({ id: "a", input: "x" })}\n${JSON.stringify({ id: "a", input: "y" })}\n`);
    expect(() => openDataset(dup)).toThrow(/duplicate id "a"/);
  });

  it("refuses to read items from a file changed since it was opened", () => {
    const changing = join(dir, "changing.jsonl");
    writeFileSync(changing, datasetText(ITEM_WINDOW + 10));
    const opened = openDataset(changing);
    expect(opened.items.at(1)!.id).toBe("q1");
    appendFileSync(changing, `${JSON.stringify({ id: "late", input: "x" })}\n`);
    // Item 1's window is held; the next window is read from the file, which changed.
    expect(() => opened.items.at(ITEM_WINDOW + 1)).toThrow(RunError);
    expect(() => opened.items.at(ITEM_WINDOW + 1)).toThrow(/changed since the run read it/);
  });
});

describe("DatasetItems", () => {
  it("is what an array of items already is: programmatic runs pass their items in memory", () => {
    const items: Item[] = [
      { id: "a", input: "x" },
      { id: "b", input: "y" },
    ];
    const asSource: DatasetItems = items;
    expect(asSource.at(1)).toBe(items[1]);
    expect(all(asSource)).toEqual(items);
  });
});
