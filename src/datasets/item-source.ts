import type { Item } from "../core/types.ts";

// Where each dataset item was read from, so an error about an item's value names the file and the
// line to fix. Kept beside the items rather than in them: an item's fields are its identity (they
// are hashed into requests), its position in a file is not.

// One number per item (line x FILE_SLOTS + the file's index), not an object: a million items keep
// no per-item allocation for this. It is held on the item under a symbol, not enumerable (not
// hashed, not copied by a spread, not serialised), rather than in a WeakMap: a run reads a
// dataset file's items again for each pass, and a weak map's entries for that many short-lived
// items are work for every garbage collection.
const files: string[] = [];
const FILE_SLOTS = 2 ** 16;
const SOURCE = Symbol("routegate.itemSource");

export function recordItemSource(item: Item, file: string, line: number): void {
  let at = files.lastIndexOf(file);
  if (at < 0) at = files.push(file) - 1;
  Object.defineProperty(item, SOURCE, { value: line * FILE_SLOTS + (at % FILE_SLOTS) });
}

/** `file` and `field` for an InputError about one of the item's fields. */
export function itemLocation(item: Item, field: string): { file: string; field: string } {
  const code = (item as { [SOURCE]?: number })[SOURCE];
  const source =
    code === undefined ? undefined : { file: files[code % FILE_SLOTS]!, line: Math.floor(code / FILE_SLOTS) };
  return source
    ? { file: source.file, field: `line ${source.line} (item "${item.id}"), field ${field}` }
    : { file: `dataset item "${item.id}"`, field };
}
