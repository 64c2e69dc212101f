import type { Item } from "../core/types.ts";

// Where each dataset item was read from, so an error about an item's value names the file and the
// line to fix. Kept beside the items rather than in them: an item's fields are its identity (they
// are hashed into requests), its position in a file is not.

// One number per item (line x FILE_SLOTS + the file's index), not an object: a million items keep
// no per-item allocation for this.
const files: string[] = [];
const FILE_SLOTS = 2 ** 16;
const sources = new WeakMap<Item, number>();

export function recordItemSource(item: Item, file: string, line: number): void {
  let at = files.lastIndexOf(file);
  if (at < 0) at = files.push(file) - 1;
  sources.set(item, line * FILE_SLOTS + (at % FILE_SLOTS));
}

/** `file` and `field` for an InputError about one of the item's fields. */
export function itemLocation(item: Item, field: string): { file: string; field: string } {
  const code = sources.get(item);
  const source =
    code === undefined ? undefined : { file: files[code % FILE_SLOTS]!, line: Math.floor(code / FILE_SLOTS) };
  return source
    ? { file: source.file, field: `line ${source.line} (item "${item.id}"), field ${field}` }
    : { file: `dataset item "${item.id}"`, field };
}
