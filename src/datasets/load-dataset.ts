import { basename, dirname } from "node:path";
import { DatasetLine, isPlainDatasetLine } from "../contracts/dataset-line.ts";
import { InputError } from "../core/errors.ts";
import type { Expected, Item } from "../core/types.ts";
import type { DatasetIndex } from "./dataset-index.ts";
import type { DatasetItems } from "./dataset-items.ts";
import { FileItems, ItemColumns, stampOf } from "./file-items.ts";
import { recordItemSource } from "./item-source.ts";
import { parseJsonLine } from "./jsonl.ts";
import { forEachLine } from "./line-reader.ts";

const FIX = 'each line is {"id", "input", "expected"?, "metadata"?, "request"?}';

export interface Dataset {
  /** The folder name for `datasets/<name>/items.jsonl`, else the file name without extension. */
  name: string;
  file: string;
  /** In memory (an array: programmatic runs) or read again from the file (openDataset). */
  items: DatasetItems;
  /** sha256 of the file's bytes: summary.json and exported configs record it as provenance. */
  hash: string;
}

/** A dataset with every item in memory. */
export interface LoadedDataset extends Dataset {
  items: Item[];
}

/** Reads every item into memory: for commands that hold a dataset whole (drift, distill, tests). */
export function loadDataset(file: string): LoadedDataset {
  const items: Item[] = [];
  const hash = readDataset(file, (item) => items.push(item));
  return { name: datasetName(file), file, items, hash };
}

/**
 * Checks every line of a dataset file (as loadDataset does) but keeps only where each item's line
 * lies: an eval's items are read again from the file a window at a time (FileItems), so a million
 * items cost 17 bytes each in memory, not their text. A `.gz` file's gunzipped bytes are kept
 * instead (they cannot be read at an offset), still far less than the items they hold.
 *
 * With an `index`, a file checked by an earlier run and unchanged since (same path, size and
 * modification time) is not read at all: its lines' places and hash come from the index. A file
 * read now is remembered there (DatasetIndex.save writes it once the run's store is opened).
 */
export function openDataset(file: string, index?: DatasetIndex): Dataset {
  // Gzipped files are kept gunzipped in memory for their reads, so they are read either way.
  const stamp = index && !file.endsWith(".gz") ? stampIfReadable(file) : undefined;
  const known = stamp && index!.find(file, stamp);
  if (known)
    return { name: datasetName(file), file, items: new FileItems(file, known.lines, itemOfLine), hash: known.sha256 };
  const columns = new ItemColumns();
  let bytes: Buffer | undefined;
  const hash = readDataset(
    file,
    (item, lineNo, offset, length) => columns.push(lineNo, offset, length, item.metadata !== undefined),
    (gunzipped) => {
      bytes = gunzipped;
    },
  );
  const lines = columns.done();
  // Remembered only if the file did not change while it was read (its hash is of what was read).
  const after = stamp && stampIfReadable(file);
  if (stamp && after && after.size === stamp.size && after.mtimeMs === stamp.mtimeMs)
    index!.remember(file, stamp, { sha256: hash, lines });
  return { name: datasetName(file), file, items: new FileItems(file, lines, itemOfLine, bytes), hash };
}

/** The file's size and modification time; undefined if it cannot be stated (its read says why). */
function stampIfReadable(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    return stampOf(file);
  } catch {
    return undefined;
  }
}

/** Every line parsed and checked (ids unique, at least one item); returns the file's hash. */
function readDataset(
  file: string,
  onItem: (item: Item, lineNo: number, offset: number, length: number) => void,
  gunzipped?: (bytes: Buffer) => void,
): string {
  const seen = new Set<string>();
  // Line by line: a dataset is never one string, so its size is never why a run fails.
  const hash = forEachLine(
    file,
    "the dataset",
    (text, lineNo, offset, length) => {
      const item = itemOfLine(text, file, lineNo);
      if (seen.has(item.id)) {
        throw new InputError(
          file,
          `line ${lineNo}, field id`,
          `duplicate id "${item.id}"`,
          "give every item a unique id",
        );
      }
      seen.add(item.id);
      onItem(item, lineNo, offset, length);
    },
    gunzipped,
  );
  if (seen.size === 0) throw new InputError(file, undefined, "the dataset has no items", "add JSONL lines");
  return hash;
}

/** One dataset line as an item; errors name the file and line, and so do later errors about the item. */
export function itemOfLine(text: string, file: string, lineNo: number): Item {
  const line = parseJsonLine(text, file, lineNo, DatasetLine, FIX, isPlainDatasetLine);
  const item: Item = {
    id: line.id,
    input: line.input,
    ...(line.expected !== undefined ? { expected: line.expected as Expected } : {}),
    ...(line.metadata ? { metadata: line.metadata } : {}),
    ...(line.request ? { request: line.request as NonNullable<Item["request"]> } : {}),
  };
  recordItemSource(item, file, lineNo);
  return item;
}

function datasetName(file: string): string {
  return basename(file).startsWith("items.") ? basename(dirname(file)) : basename(file).replace(/\..*$/, "");
}
