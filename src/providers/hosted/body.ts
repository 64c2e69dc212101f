import type { z } from "zod";
import { formatPath } from "../../core/errors.ts";
import { badResponse, errorObjectInBody } from "./errors.ts";

/**
 * Validates a provider's reply body with its zod schema. An error object in a 2xx reply becomes the
 * error it stands for; any other mismatch is a bad_response naming the field.
 */
export function parseBody<S extends z.ZodType>(provider: string, schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const inBody = errorObjectInBody(provider, body);
  if (inBody) throw inBody;
  if (typeof body === "string") throw badResponse(provider, `expected a JSON object, got text: ${body.slice(0, 80)}`);
  const issue = parsed.error.issues[0]!;
  throw badResponse(provider, `${formatPath(issue.path)}: ${issue.message}`);
}
