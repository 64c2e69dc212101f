import type { OutcomeRecord } from "./outcome-row.ts";

// How a block of outcomes crosses to the writer thread (block-writer.ts): each record's JSON,
// after its UTF-8 length (u32, little-endian), in memory both threads share. Not a structured
// clone of the records or of their rows: on a small machine that costs the sending thread about
// as much as the inserts it would spare, and each block a fresh allocation of its size (some
// 40 MB for 32K answers), where the buffer is allocated once and written again for each block
// (the thread is done with a block before the next is written).
//
// The block stays readable here until its commit is known (`record`, `records`), so the sender
// keeps no second copy of the records it handed over: the block's answers are served from the
// buffer in the meantime, and taken back from it when the commit fails.

/** The buffer's least size; it grows to the biggest block. */
const LEAST_BYTES = 8 << 20;

export class BlockBuffer {
  private buffer: SharedArrayBuffer | undefined;
  private bytes: Buffer | undefined;

  /** The shared memory the thread reads the last block from. */
  get shared(): SharedArrayBuffer {
    return this.buffer!;
  }

  /** Writes the block; returns where it ends and where each record starts, by hash. */
  encode(records: readonly OutcomeRecord[]): { end: number; at: Map<string, number> } {
    const at = new Map<string, number>();
    let end = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const json = JSON.stringify(record);
      // At most 3 bytes of UTF-8 per UTF-16 unit: room for that, so a write is never cut short.
      const room = 4 + 3 * json.length;
      if ((this.bytes?.length ?? 0) - end < room) {
        // Grown once to what the whole block likely takes at the rate so far, not doubled again
        // and again (an old buffer stays in memory until both threads let it go).
        const likely = (((end + 4 + json.length) / (i + 1)) * records.length * 5) / 4;
        this.grow(end, Math.ceil(Math.max(end + room, likely)));
      }
      const n = this.bytes!.write(json, end + 4, "utf8");
      this.bytes!.writeUInt32LE(n, end);
      at.set(record.hash, end);
      end += 4 + n;
    }
    return { end, at };
  }

  /** The record written at `offset` of the last block. */
  record(offset: number): OutcomeRecord {
    return recordAt(this.bytes!, offset).record;
  }

  /** The last block's records, in order. */
  records(end: number): OutcomeRecord[] {
    const out: OutcomeRecord[] = [];
    for (let offset = 0; offset < end; ) {
      const { record, next } = recordAt(this.bytes!, offset);
      out.push(record);
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

/** The record at `offset` of a block and where the next starts (the thread reads blocks so too). */
export function recordAt(bytes: Buffer, offset: number): { record: OutcomeRecord; next: number } {
  const length = bytes.readUInt32LE(offset);
  const next = offset + 4 + length;
  return { record: JSON.parse(bytes.toString("utf8", offset + 4, next)) as OutcomeRecord, next };
}
