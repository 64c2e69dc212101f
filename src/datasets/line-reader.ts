import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { InputError } from "../core/errors.ts";

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Reads a text file line by line, a chunk at a time, never as one string: a file larger than a
 * string may hold (about 512 MB) reads like any other. `.gz` files are gunzipped to bytes first.
 * Calls `onLine` with each non-blank line (trimmed), its 1-based line number and where its bytes
 * lie (offset and length, newline excluded: what a later positional read needs); returns the
 * sha256 of the file's (gunzipped) bytes, the provenance hash datasets and replay files record.
 * A `.gz` file's gunzipped bytes, which the offsets are into, go to `gunzipped` when given.
 */
export function forEachLine(
  file: string,
  whatFor: string,
  onLine: (text: string, line: number, offset: number, length: number) => void,
  gunzipped?: (bytes: Buffer) => void,
): string {
  const hash = createHash("sha256");
  let lineNo = 0;
  let carry: Buffer | null = null;
  // Offset in the file of the first byte not yet handed to a line (the carry's first byte).
  let at = 0;
  const take = (bytes: Buffer) => {
    hash.update(bytes);
    const buf = carry ? Buffer.concat([carry, bytes]) : bytes;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      emit(buf.toString("utf8", start, nl), at + start, nl - start);
      start = nl + 1;
    }
    at += start;
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  };
  const emit = (raw: string, offset: number, length: number) => {
    lineNo++;
    const text = raw.trim();
    if (text) onLine(text, lineNo, offset, length);
  };
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    throw unreadable(file, whatFor, err);
  }
  const read = (chunk: Buffer) => {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      throw unreadable(file, whatFor, err);
    }
  };
  try {
    if (file.endsWith(".gz")) {
      const bytes = gunzipFile(read, file, whatFor);
      gunzipped?.(bytes);
      take(bytes);
    } else {
      const chunk = Buffer.allocUnsafe(CHUNK);
      for (let n = read(chunk); n > 0; n = read(chunk)) take(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  if (carry) emit((carry as Buffer).toString("utf8"), at, (carry as Buffer).length);
  return hash.digest("hex");
}

/** A gzipped file's bytes, whole: zlib offers no synchronous stream (bytes, never one string). */
function gunzipFile(read: (chunk: Buffer) => number, file: string, whatFor: string): Buffer {
  const parts: Buffer[] = [];
  const chunk = Buffer.allocUnsafe(CHUNK);
  for (let n = read(chunk); n > 0; n = read(chunk)) parts.push(Buffer.from(chunk.subarray(0, n)));
  try {
    return gunzipSync(Buffer.concat(parts));
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `cannot gunzip ${whatFor} (${(err as Error).message})`,
      "check the file is gzip",
    );
  }
}

function unreadable(file: string, whatFor: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  return new InputError(
    file,
    undefined,
    `cannot read ${whatFor} (${code ?? String(err)})`,
    "check the path; relative paths resolve from the eval file's folder or the working directory",
  );
}
