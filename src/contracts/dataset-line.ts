import { z } from "zod";

const RecordedMessage = z.strictObject({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string(),
  toolCalls: z.array(z.strictObject({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
  toolCallId: z.string().optional(),
});

/**
 * A request recorded from live traffic (shadow evaluation), sent verbatim: no template applied,
 * so the evaluation asks the models exactly what production asked.
 */
export const RecordedRequest = z.strictObject({
  messages: z.array(RecordedMessage).min(1),
  maxTokens: z.number().int().positive(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string()).optional(),
  responseFormat: z.enum(["text", "json"]).optional(),
});

// Dataset JSONL lines: {"id", "input", "expected"?, "metadata"?, "request"?} (contract). With
// `request`, `input` is what the router scores and `request` is what the models are sent.
export const DatasetLine = z.strictObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  input: z.union([z.string(), z.record(z.string(), z.unknown())]),
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  request: RecordedRequest.optional(),
});
export type DatasetLine = z.infer<typeof DatasetLine>;

const LINE_KEYS: ReadonlySet<string> = new Set(Object.keys(DatasetLine.shape));

/**
 * A parsed JSON line that DatasetLine returns as it is, told by plain type tests: a text id, a
 * text input, metadata a plain object, no recorded request. An eval reads every line of its
 * dataset once to check it and again in each pass over the items, where the schema's parse costs
 * more than the JSON's. Anything else (a numeric id the schema turns into text, an object input, a
 * request, a `__proto__` key the schema drops) goes through the schema; tested side by side.
 */
export function isPlainDatasetLine(v: unknown): v is DatasetLine {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const line = v as Record<string, unknown>;
  for (const k in line) if (!LINE_KEYS.has(k)) return false;
  if (typeof line.id !== "string" || line.id.length === 0) return false;
  if (typeof line.input !== "string" || line.request !== undefined) return false;
  const { metadata } = line;
  if (metadata === undefined) return true;
  return (
    typeof metadata === "object" &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    !Object.hasOwn(metadata, "__proto__")
  );
}
