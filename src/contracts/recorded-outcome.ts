import { z } from "zod";

// Recorded outcomes JSONL, one line per (item, model): a public contract (docs/architecture.md#contracts).
export const RecordedUsage = z.strictObject({
  /** Total input tokens, cached ones included. */
  inputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative().optional(),
  cacheWriteTokens: z.number().int().nonnegative().optional(),
  /** Total output tokens, reasoning included. */
  outputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative().optional(),
});

export const RecordedOutcomeLine = z.strictObject({
  itemId: z.string().min(1),
  model: z.string().min(1),
  output: z.string(),
  usage: RecordedUsage.optional(),
  latencyMs: z.number().nonnegative().optional(),
  /** Used only when usage is absent. */
  costUsd: z.number().nonnegative().optional(),
  error: z.string().optional(),
  logprobs: z.strictObject({ mean: z.number(), min: z.number() }).optional(),
  sample: z.number().int().nonnegative().optional(),
});
export type RecordedOutcomeLine = z.infer<typeof RecordedOutcomeLine>;
