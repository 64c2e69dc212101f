import { basename, dirname } from "node:path";
import { DatasetLine } from "../contracts/dataset-line.ts";
import { InputError } from "../core/errors.ts";
import type { Expected, Item } from "../core/types.ts";
import { recordItemSource } from "./item-source.ts";
import { parseJsonLine } from "./jsonl.ts";
import { forEachLine } from "./line-reader.ts";

const FIX = 'each line is {"id", "input", "expected"?, "metadata"?, "request"?}';

export interface Dataset {
  /** The folder name for `datasets/<name>/items.jsonl`, else the file name without extension. */
  name: string;
  file: string;
  items: Item[];
  /** sha256 of the file's bytes: summary.json and exported configs record it as provenance. */
  hash: string;
}

export function loadDataset(file: string): Dataset {
  const seen = new Set<string>();
  const items: Item[] = [];
  // Line by line: a dataset is never one string, so its size is never why a run fails.
  const hash = forEachLine(file, "the dataset", (text, lineNo) => {
    const line = parseJsonLine(text, file, lineNo, DatasetLine, FIX);
    if (seen.has(line.id)) {
      throw new InputError(
        file,
        `line ${lineNo}, field id`,
        `duplicate id "${line.id}"`,
        "give every item a unique id",
      );
    }
    seen.add(line.id);
    const item: Item = {
      id: line.id,
      input: line.input,
      ...(line.expected !== undefined ? { expected: line.expected as Expected } : {}),
      ...(line.metadata ? { metadata: line.metadata } : {}),
      ...(line.request ? { request: line.request as NonNullable<Item["request"]> } : {}),
    };
    recordItemSource(item, file, lineNo);
    items.push(item);
  });
  if (items.length === 0) throw new InputError(file, undefined, "the dataset has no items", "add JSONL lines");
  const name = basename(file).startsWith("items.") ? basename(dirname(file)) : basename(file).replace(/\..*$/, "");
  return { name, file, items, hash };
}
