import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { RunError } from "../core/errors.ts";
import type { Item } from "../core/types.ts";
import { type DatasetItems, ITEM_WINDOW } from "./dataset-items.ts";

/** Where each item's line lies in its file: 17 bytes per item, all a run keeps of an item. */
export interface ItemLines {
  /** 1-based line numbers, for errors that name an item's line. */
  line: Uint32Array;
  /** Byte offset of the line's first byte (a double: files pass 4 GB). */
  offset: Float64Array;
  /** The line's length in bytes, newline excluded. */
  length: Uint32Array;
  /** 1 where the item has metadata: passes that read only metadata skip the others' lines. */
  metadata: Uint8Array;
}

/** ItemLines filled one item at a time, as a file is read. */
export class ItemColumns {
  private n = 0;
  private cols: ItemLines = {
    line: new Uint32Array(1024),
    offset: new Float64Array(1024),
    length: new Uint32Array(1024),
    metadata: new Uint8Array(1024),
  };

  push(line: number, offset: number, length: number, hasMetadata: boolean): void {
    if (this.n === this.cols.line.length) {
      const grow = <T extends Uint8Array | Uint32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      const c = this.cols;
      this.cols = { line: grow(c.line), offset: grow(c.offset), length: grow(c.length), metadata: grow(c.metadata) };
    }
    this.cols.line[this.n] = line;
    this.cols.offset[this.n] = offset;
    this.cols.length[this.n] = length;
    this.cols.metadata[this.n] = hasMetadata ? 1 : 0;
    this.n++;
  }

  done(): ItemLines {
    const { line, offset, length, metadata } = this.cols;
    const n = this.n;
    return {
      line: line.slice(0, n),
      offset: offset.slice(0, n),
      length: length.slice(0, n),
      metadata: metadata.slice(0, n),
    };
  }
}

/**
 * A dataset file's items, read again from their lines when asked for and parsed as when the file
 * was first read (same checks, same errors naming file and line, same items). The last window
 * read is kept, so `at` over the items a window just read costs nothing. A file changed since it
 * was opened is an error, not other items: its size or modification time is checked at each read.
 */
export class FileItems implements DatasetItems {
  readonly length: number;
  private window: { from: number; items: Item[] } | null = null;
  private readonly stamp: { size: number; mtimeMs: number } | null;

  constructor(
    readonly file: string,
    private readonly lines: ItemLines,
    private readonly parse: (text: string, file: string, lineNo: number) => Item,
    /** A gzipped file's gunzipped bytes, which the offsets are into. */
    private readonly bytes?: Buffer,
  ) {
    this.length = lines.line.length;
    this.stamp = bytes ? null : stampOf(file);
  }

  at(i: number): Item | undefined {
    if (!(Number.isInteger(i) && i >= 0 && i < this.length)) return undefined;
    const w = this.window;
    if (w && i >= w.from && i < w.from + w.items.length) return w.items[i - w.from];
    const from = i - (i % ITEM_WINDOW);
    this.window = { from, items: this.read(from, Math.min(this.length, from + ITEM_WINDOW)) };
    return this.window.items[i - from];
  }

  slice(from: number, to: number): Item[] {
    from = Math.max(0, from);
    to = Math.min(this.length, to);
    if (to <= from) return [];
    const w = this.window;
    if (w && from >= w.from && to <= w.from + w.items.length) return w.items.slice(from - w.from, to - w.from);
    const items: Item[] = [];
    for (let at = from; at < to; at += ITEM_WINDOW)
      for (const item of this.read(at, Math.min(to, at + ITEM_WINDOW))) items.push(item);
    if (to - from <= ITEM_WINDOW) this.window = { from, items };
    return items.slice();
  }

  forEach(fn: (item: Item, i: number) => void): void {
    for (let from = 0; from < this.length; from += ITEM_WINDOW) {
      const items = this.slice(from, Math.min(this.length, from + ITEM_WINDOW));
      for (let j = 0; j < items.length; j++) fn(items[j]!, from + j);
    }
  }

  /** As forEach, over the items that have metadata only: a window with none is not read. */
  forEachWithMetadata(fn: (item: Item, i: number) => void): void {
    const flags = this.lines.metadata;
    for (let i = 0; i < this.length; i++) if (flags[i]) fn(this.at(i)!, i);
  }

  /** Items [from, to): their bytes in one read, each line parsed. */
  private read(from: number, to: number): Item[] {
    const { line, offset, length } = this.lines;
    const start = offset[from]!;
    const end = offset[to - 1]! + length[to - 1]!;
    const bytes = this.bytes ? this.bytes.subarray(start, end) : this.readFile(start, end - start);
    const items = new Array<Item>(to - from);
    for (let i = from; i < to; i++) {
      const at = offset[i]! - start;
      items[i - from] = this.parse(bytes.toString("utf8", at, at + length[i]!).trim(), this.file, line[i]!);
    }
    return items;
  }

  private readFile(position: number, size: number): Buffer {
    const buf = Buffer.allocUnsafe(size);
    let fd: number;
    try {
      fd = openSync(this.file, "r");
    } catch (err) {
      throw this.changed(`it cannot be read again (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    try {
      const now = stampOf(fd);
      if (now.size !== this.stamp!.size || now.mtimeMs !== this.stamp!.mtimeMs) throw this.changed("it changed");
      let got = 0;
      while (got < size) {
        const n = readSync(fd, buf, got, size - got, position + got);
        if (n === 0) throw this.changed("it is shorter");
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    return buf;
  }

  private changed(what: string): RunError {
    return new RunError(
      `dataset ${this.file}: ${what} since the run read it; its items are read again from the file as the run needs them, so it must stay as it was until the run ends`,
    );
  }
}

export function stampOf(fileOrFd: string | number): { size: number; mtimeMs: number } {
  const s = typeof fileOrFd === "number" ? fstatSync(fileOrFd) : statSync(fileOrFd);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/**
 * Every item that has metadata, in order: what passes reading only metadata (features, adversarial
 * marks) go over. A dataset file's items without metadata are not read again for them.
 */
export function forEachWithMetadata(items: DatasetItems, fn: (item: Item, i: number) => void): void {
  if (items instanceof FileItems) items.forEachWithMetadata(fn);
  else
    items.forEach((item, i) => {
      if (item.metadata) fn(item, i);
    });
}
