import type { Item } from "../core/types.ts";

/**
 * A dataset's items by position, read-only. An array of items is one (programmatic runs pass their
 * items in memory); a dataset file opened for an eval is another (FileItems), which keeps no item
 * and reads the ones asked for again from their lines, so a run's memory does not grow with items'
 * text. Reading in order (`forEach`, windows through `slice`, `at` within the last window) is what
 * it is built for; `at` far from the last window read costs a window's read.
 */
export interface DatasetItems {
  readonly length: number;
  at(i: number): Item | undefined;
  /** Items `from` to `to` (exclusive), in order. */
  slice(from: number, to: number): Item[];
  /** Every item in order; a file's items a window at a time, none kept after its call. */
  forEach(fn: (item: Item, i: number) => void): void;
}

/** Items per read of a dataset file: what a window of collection or scoring asks for at once. */
export const ITEM_WINDOW = 2048;
