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
