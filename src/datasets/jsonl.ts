import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { z } from "zod";
import { InputError } from "../core/errors.ts";
import { parseOrInputError } from "../core/validate.ts";

/** Reads a text file, gunzipping `.gz` files. Missing files are an InputError (exit 2). */
export function readTextFile(file: string, whatFor: string): string {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      file,
      undefined,
      `cannot read ${whatFor} (${code ?? String(err)})`,
      "check the path; relative paths resolve from the eval file's folder or the working directory",
    );
  }
  return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
}

/**
 * Parses JSONL, validating every line with `schema`. Errors name the file, the 1-based line and
 * the field, so a user can jump straight to the bad line.
 */
export function parseJsonl<S extends z.ZodType>(text: string, file: string, schema: S, fix: string): z.output<S>[] {
  return parseJsonlLines(text, file, schema, fix).map((l) => l.value);
}

/** parseJsonl, keeping each value's 1-based line number (blank lines are skipped, not renumbered). */
export function parseJsonlLines<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  fix: string,
): { value: z.output<S>; line: number }[] {
  const out: { value: z.output<S>; line: number }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    out.push({ value: parseJsonLine(line, file, i + 1, schema, fix), line: i + 1 });
  }
  return out;
}

/**
 * One JSONL line (trimmed, not blank), parsed and validated; errors name the file and line.
 * `accepts`: a cheap type test of values the schema takes as they are (no defaults, no
 * transforms), tried first; what it does not accept is parsed by the schema, for its errors.
 */
export function parseJsonLine<S extends z.ZodType>(
  line: string,
  file: string,
  lineNo: number,
  schema: S,
  fix: string,
  accepts?: (value: unknown) => value is z.output<S>,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    throw new InputError(
      file,
      `line ${lineNo}`,
      `not valid JSON (${(err as Error).message})`,
      "each line must be one JSON object",
    );
  }
  if (accepts?.(json)) return json;
  return parseOrInputError(schema, json, file, fix, `line ${lineNo}`);
}

export function readJsonl<S extends z.ZodType>(file: string, schema: S, whatFor: string, fix: string): z.output<S>[] {
  return parseJsonl(readTextFile(file, whatFor), file, schema, fix);
}
