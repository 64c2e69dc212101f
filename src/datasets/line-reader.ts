import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { InputError } from "../core/errors.ts";

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Reads a text file line by line, a chunk at a time, never as one string: a file larger than a
 * string may hold (about 512 MB) reads like any other. `.gz` files are gunzipped to bytes first.
 * Calls `onLine` with each non-blank line (trimmed) and its 1-based line number; returns the
 * sha256 of the file's (gunzipped) bytes, the provenance hash datasets and replay files record.
 */
export function forEachLine(file: string, whatFor: string, onLine: (text: string, line: number) => void): string {
  const hash = createHash("sha256");
  let lineNo = 0;
  let carry: Buffer | null = null;
  const take = (bytes: Buffer) => {
    hash.update(bytes);
    const buf = carry ? Buffer.concat([carry, bytes]) : bytes;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      emit(buf.toString("utf8", start, nl));
      start = nl + 1;
    }
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  };
  const emit = (raw: string) => {
    lineNo++;
    const text = raw.trim();
    if (text) onLine(text, lineNo);
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
      take(gunzipFile(read, file, whatFor));
    } else {
      const chunk = Buffer.allocUnsafe(CHUNK);
      for (let n = read(chunk); n > 0; n = read(chunk)) take(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  if (carry) emit((carry as Buffer).toString("utf8"));
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
