import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { DatasetLine } from "../contracts/dataset-line.ts";
import { InputError } from "../core/errors.ts";
import type { Expected, Item } from "../core/types.ts";
import { parseJsonl, readTextFile } from "./jsonl.ts";

export interface Dataset {
  /** The folder name for `datasets/<name>/items.jsonl`, else the file name without extension. */
  name: string;
  file: string;
  items: Item[];
  /** sha256 of the file's bytes: summary.json and exported configs record it as provenance. */
  hash: string;
}

export function loadDataset(file: string): Dataset {
  const text = readTextFile(file, "the dataset");
  const lines = parseJsonl(text, file, DatasetLine, 'each line is {"id", "input", "expected"?, "metadata"?}');
  const seen = new Set<string>();
  const items: Item[] = lines.map((line, i) => {
    if (seen.has(line.id)) {
      throw new InputError(file, `item ${i + 1}, field id`, `duplicate id "${line.id}"`, "give every item a unique id");
    }
    seen.add(line.id);
    return {
      id: line.id,
      input: line.input,
      ...(line.expected !== undefined ? { expected: line.expected as Expected } : {}),
      ...(line.metadata ? { metadata: line.metadata } : {}),
    };
  });
  if (items.length === 0) throw new InputError(file, undefined, "the dataset has no items", "add JSONL lines");
  const name = basename(file).startsWith("items.") ? basename(dirname(file)) : basename(file).replace(/\..*$/, "");
  return { name, file, items, hash: createHash("sha256").update(text).digest("hex") };
}
