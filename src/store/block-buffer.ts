import { COLUMNS, type OutcomeRecord, type RowValues, toValues } from "./outcome-row.ts";

// How a block of outcomes crosses to the writer thread (block-writer.ts): each record's row, the
// values the insert binds (toValues, made here as `putMany` makes them), one after another in
// memory both threads share: a tag per value, then a number's 8 bytes or a string's UTF-8 length
// (u32, little-endian) and bytes. Not a structured clone of the records or of their rows: on a
// small machine that costs the sending thread about as much as the inserts it would spare, and
// each block a fresh allocation of its size (some 40 MB for 32K answers), where the buffer is
// allocated once and written again for each block (the thread is done with a block before the
// next is written). Not JSON either: the thread would parse every record and make its row again
// (measured: 2.5 s more CPU for a first run of 100K items x 2, where this costs about 1 s).
//
// The block stays readable here until its commit is known (`row`, `rows`), so the sender keeps no
// second copy of the records it handed over: the block's answers are read back from the buffer
// in the meantime, and taken back from it when the commit fails.

/** The buffer's least size; it grows to the biggest block. */
const LEAST_BYTES = 8 << 20;
const NULL = 0;
const STRING = 1;
const NUMBER = 2;
const UNDEFINED = 3;

export class BlockBuffer {
  private buffer: SharedArrayBuffer | undefined;
  private bytes: Buffer | undefined;

  /** The shared memory the thread reads the last block from. */
  get shared(): SharedArrayBuffer {
    return this.buffer!;
  }

  /** Writes the block's rows; returns where it ends and where each record's row starts, by hash. */
  encode(records: readonly OutcomeRecord[]): { end: number; at: Map<string, number> } {
    const at = new Map<string, number>();
    let end = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const values = toValues(record);
      // At most 3 bytes of UTF-8 per UTF-16 unit: room for that, so a write is never cut short.
      let room = 0;
      for (const v of values) room += typeof v === "string" ? 5 + 3 * v.length : 9;
      if ((this.bytes?.length ?? 0) - end < room) {
        // Grown once to what the whole block likely takes at the rate so far, not doubled again
        // and again (an old buffer stays in memory until both threads let it go).
        const likely = (((end + room / 2) / (i + 1)) * records.length * 5) / 4;
        this.grow(end, Math.ceil(Math.max(end + room, likely)));
      }
      at.set(record.hash, end);
      end = writeRow(this.bytes!, end, values);
    }
    return { end, at };
  }

  /** The row written at `offset` of the last block. */
  row(offset: number): RowValues {
    return rowAt(this.bytes!, offset).values;
  }

  /** The last block's rows, in order. */
  rows(end: number): RowValues[] {
    const out: RowValues[] = [];
    for (let offset = 0; offset < end; ) {
      const { values, next } = rowAt(this.bytes!, offset);
      out.push(values);
      offset = next;
    }
    return out;
  }

  private grow(used: number, need: number): void {
    const old = this.bytes;
    this.buffer = new SharedArrayBuffer(Math.max(need, LEAST_BYTES));
    this.bytes = Buffer.from(this.buffer);
    if (old) old.copy(this.bytes, 0, 0, used);
  }
}

function writeRow(bytes: Buffer, offset: number, values: RowValues): number {
  let at = offset;
  for (const v of values as readonly unknown[]) {
    if (typeof v === "string") {
      bytes[at] = STRING;
      const n = bytes.write(v, at + 5, "utf8");
      bytes.writeUInt32LE(n, at + 1);
      at += 5 + n;
    } else if (typeof v === "number") {
      bytes[at] = NUMBER;
      bytes.writeDoubleLE(v, at + 1);
      at += 9;
    } else {
      bytes[at] = v === undefined ? UNDEFINED : NULL;
      at += 1;
    }
  }
  return at;
}

/** The row at `offset` of a block and where the next starts (the thread reads blocks so too). */
export function rowAt(bytes: Buffer, offset: number): { values: RowValues; next: number } {
  const values: unknown[] = new Array(COLUMNS.length);
  let at = offset;
  for (let c = 0; c < COLUMNS.length; c++) {
    const tag = bytes[at];
    if (tag === STRING) {
      const n = bytes.readUInt32LE(at + 1);
      values[c] = bytes.toString("utf8", at + 5, at + 5 + n);
      at += 5 + n;
    } else if (tag === NUMBER) {
      values[c] = bytes.readDoubleLE(at + 1);
      at += 9;
    } else {
      values[c] = tag === UNDEFINED ? undefined : null;
      at += 1;
    }
  }
  return { values: values as RowValues, next: at };
}
