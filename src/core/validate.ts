import type { z } from "zod";
import { InputError } from "./errors.ts";
import { reportedIssue } from "./unknown-keys.ts";

/**
 * Validates `value` against `schema`; on failure throws the InputError every boundary uses (exit 2,
 * naming the file, the first bad field and the fix). `where` prefixes the field (e.g. "line 3").
 */
export function parseOrInputError<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  fix: string,
  where?: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = reportedIssue(parsed.error, schema);
  const field = `field ${issue.path}`;
  throw new InputError(
    file,
    where ? `${where}, ${field}` : field,
    issue.message,
    issue.fix ? `${issue.fix}; ${fix}` : fix,
  );
}
