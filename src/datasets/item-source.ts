import type { Item } from "../core/types.ts";

// Where each dataset item was read from, so an error about an item's value names the file and the
// line to fix. Kept beside the items rather than in them: an item's fields are its identity (they
// are hashed into requests), its position in a file is not.

const sources = new WeakMap<Item, { file: string; line: number }>();

export function recordItemSource(item: Item, file: string, line: number): void {
  sources.set(item, { file, line });
}

/** `file` and `field` for an InputError about one of the item's fields. */
export function itemLocation(item: Item, field: string): { file: string; field: string } {
  const source = sources.get(item);
  return source
    ? { file: source.file, field: `line ${source.line} (item "${item.id}"), field ${field}` }
    : { file: `dataset item "${item.id}"`, field };
}
