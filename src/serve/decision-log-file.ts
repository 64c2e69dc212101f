import { closeSync, existsSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";

// Decision logs as JSONL, rotated by size: `decisions.jsonl` is written, and when it passes
// `maxBytes` it becomes `decisions.jsonl.1` (the older ones shifting to .2, .3, ...; past `keep`
// they are deleted). A retention in days deletes rotated files older than that at each rotation.
// Lines are written synchronously: one short write per request keeps a crash from losing the
// decisions already answered, at a cost of microseconds.

export interface DecisionLogFileOptions {
  file: string;
  maxBytes?: number;
  keep?: number;
  retentionDays?: number;
}

export class DecisionLogFile {
  private fd: number;
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(private readonly opts: DecisionLogFileOptions) {
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.keep = opts.keep ?? 5;
    this.fd = openSync(opts.file, "a", 0o600);
    this.size = statSync(opts.file).size;
  }

  write(line: object): void {
    const text = `${JSON.stringify(line)}\n`;
    const bytes = Buffer.byteLength(text);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    writeSync(this.fd, text);
    this.size += bytes;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    const { file } = this.opts;
    const name = (i: number) => `${file}.${i}`;
    if (existsSync(name(this.keep))) unlinkSync(name(this.keep));
    for (let i = this.keep - 1; i >= 1; i--) if (existsSync(name(i))) renameSync(name(i), name(i + 1));
    renameSync(file, name(1));
    if (this.opts.retentionDays !== undefined) {
      const oldest = Date.now() - this.opts.retentionDays * 86_400_000;
      for (let i = 1; i <= this.keep; i++)
        if (existsSync(name(i)) && statSync(name(i)).mtimeMs < oldest) unlinkSync(name(i));
    }
    this.fd = openSync(file, "a", 0o600);
    this.size = 0;
  }
}
