import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DatasetLine } from "../contracts/dataset-line.ts";
import type { Item } from "../core/types.ts";
import { DatasetIndex, INDEX_FORMAT } from "./dataset-index.ts";
import type { DatasetItems } from "./dataset-items.ts";
import { type Dataset, loadDataset, openDataset } from "./load-dataset.ts";

// Issue 13: a repeat run does not parse every line of an unchanged dataset again to check it; the
// check is remembered beside the store, keyed by the file's path, size and modification time.

const dir = mkdtempSync(join(tmpdir(), "dataset-index-"));

function writeDataset(name: string, n: number, word = "question"): string {
  const file = join(dir, name);
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      input: `${word} ${i} €`,
      expected: `a${i}`,
      ...(i % 3 ? {} : { metadata: { g: i } }),
    }),
  );
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function all(items: DatasetItems): Item[] {
  const out: Item[] = [];
  items.forEach((item) => {
    out.push(item);
  });
  return out;
}

function saved(file: string, indexPath: string): Dataset {
  const index = new DatasetIndex(indexPath);
  const dataset = openDataset(file, index);
  index.save();
  index.close();
  return dataset;
}

describe("DatasetIndex", () => {
  it("serves an unchanged file's check without reading it: same items, same hash", () => {
    const file = writeDataset("same.jsonl", 3000);
    const indexPath = join(dir, "same.dataset-index.sqlite");
    const first = saved(file, indexPath);
    expect(first.hash).toBe(loadDataset(file).hash);

    const index = new DatasetIndex(indexPath);
    const stamp = statSync(file);
    expect(index.find(file, { size: stamp.size, mtimeMs: stamp.mtimeMs })?.sha256).toBe(first.hash);
    const again = openDataset(file, index);
    expect(again.hash).toBe(first.hash);
    expect(all(again.items)).toEqual(loadDataset(file).items);
    index.close();
  });

  it("trusts size and modification time: other bytes of the same size under the old time are not read", () => {
    // What makes a repeat run skip the read; the same trust the replay imports place in a file.
    const file = writeDataset("trusted.jsonl", 50, "aaaa");
    const then = new Date("2026-01-02T03:04:05Z");
    utimesSync(file, then, then);
    const indexPath = join(dir, "trusted.dataset-index.sqlite");
    const first = saved(file, indexPath);
    writeDataset("trusted.jsonl", 50, "bbbb");
    utimesSync(file, then, then);
    expect(openDataset(file, new DatasetIndex(indexPath)).hash).toBe(first.hash);
    expect(openDataset(file).hash).not.toBe(first.hash);
  });

  it("reads a changed file again and remembers the new check", () => {
    const file = writeDataset("changed.jsonl", 40);
    const indexPath = join(dir, "changed.dataset-index.sqlite");
    saved(file, indexPath);
    writeDataset("changed.jsonl", 41);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const again = saved(file, indexPath);
    expect(again.items.length).toBe(41);
    expect(again.hash).toBe(loadDataset(file).hash);
    const stamp = statSync(file);
    expect(
      new DatasetIndex(indexPath).find(file, { size: stamp.size, mtimeMs: stamp.mtimeMs })?.lines.line.length,
    ).toBe(41);
  });

  it("forgets files that are gone and checks no file points to", () => {
    const kept = writeDataset("kept.jsonl", 10);
    const gone = writeDataset("gone.jsonl", 12);
    const indexPath = join(dir, "prune.dataset-index.sqlite");
    saved(kept, indexPath);
    saved(gone, indexPath);
    writeDataset("kept.jsonl", 11);
    utimesSync(kept, new Date(), new Date(Date.now() + 5000));
    rmSync(gone);
    saved(kept, indexPath);
    const db = new Database(indexPath, { readonly: true });
    expect(db.prepare("SELECT path FROM dataset_files").pluck().all()).toEqual([kept]);
    expect(db.prepare("SELECT items FROM dataset_lines").pluck().all()).toEqual([11]);
    db.close();
  });

  it("writes nothing before save: a run refused for bad input leaves no index behind", () => {
    const file = writeDataset("pending.jsonl", 10);
    const indexPath = join(dir, "pending.dataset-index.sqlite");
    const index = new DatasetIndex(indexPath);
    openDataset(file, index);
    expect(existsSync(indexPath)).toBe(false);
    index.save();
    expect(existsSync(indexPath)).toBe(true);
  });

  it("remembers no bad dataset: its error is raised on every run", () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, '{"id":"a","input":"x"}\n{"id":"a","input":"y"}\n');
    const indexPath = join(dir, "bad.dataset-index.sqlite");
    const index = new DatasetIndex(indexPath);
    expect(() => openDataset(file, index)).toThrow(/duplicate id "a"/);
    index.save();
    expect(() => openDataset(file, new DatasetIndex(indexPath))).toThrow(/duplicate id "a"/);
  });

  it("a damaged index is a miss, never a failed run", () => {
    const file = writeDataset("damaged.jsonl", 20);
    const indexPath = join(dir, "damaged.dataset-index.sqlite");
    writeFileSync(indexPath, "not a database, not at all: garbage bytes ".repeat(200));
    const index = new DatasetIndex(indexPath);
    expect(openDataset(file, index).hash).toBe(loadDataset(file).hash);
    expect(() => index.save()).not.toThrow();
  });

  it("ignores an entry whose lines do not fit the file", () => {
    const file = writeDataset("misfit.jsonl", 20);
    const indexPath = join(dir, "misfit.dataset-index.sqlite");
    const first = saved(file, indexPath);
    const db = new Database(indexPath);
    // The last line said to end past the file's end.
    const row = db.prepare("SELECT length FROM dataset_lines WHERE sha256 = ?").get(first.hash) as { length: Buffer };
    const length = new Uint32Array(new Uint8Array(row.length).buffer);
    length[19] = 10_000;
    db.prepare("UPDATE dataset_lines SET length = ? WHERE sha256 = ?").run(Buffer.from(length.buffer), first.hash);
    db.close();
    const stamp = statSync(file);
    expect(new DatasetIndex(indexPath).find(file, { size: stamp.size, mtimeMs: stamp.mtimeMs })).toBeUndefined();
    expect(all(openDataset(file, new DatasetIndex(indexPath)).items)).toEqual(loadDataset(file).items);
  });

  it("INDEX_FORMAT is bumped whenever the dataset line format changes", () => {
    // If this fails, DatasetLine changed: bump INDEX_FORMAT (entries checked under the old rules
    // must not be trusted), then record the new fingerprint and format here.
    const schema = JSON.stringify(z.toJSONSchema(DatasetLine, { io: "input", unrepresentable: "any" }));
    const fingerprint = createHash("sha256").update(schema).digest("hex").slice(0, 16);
    expect({ fingerprint, INDEX_FORMAT }).toEqual({ fingerprint: "c583f01a6a73f421", INDEX_FORMAT: 1 });
  });
});
