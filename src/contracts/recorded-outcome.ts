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

const LINE_KEYS: ReadonlySet<string> = new Set(Object.keys(RecordedOutcomeLine.shape));
const USAGE_KEYS: ReadonlySet<string> = new Set(Object.keys(RecordedUsage.shape));
const LOGPROB_KEYS: ReadonlySet<string> = new Set(["mean", "min"]);

const count = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const optCount = (v: unknown) => v === undefined || count(v);
const optAmount = (v: unknown) => v === undefined || (typeof v === "number" && Number.isFinite(v) && v >= 0);
const plain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const only = (o: Record<string, unknown>, keys: ReadonlySet<string>) => {
  for (const k in o) if (!keys.has(k)) return false;
  return true;
};

/**
 * A parsed JSON line that RecordedOutcomeLine accepts as it is, told by plain type tests: a
 * replay import reads every line of files of a million lines, where the schema's parse is a third
 * of the work. Anything it does not accept goes through the schema, whose error names the field
 * and the fix; it accepts nothing the schema refuses (tested side by side).
 */
export function isPlainRecordedOutcomeLine(v: unknown): v is RecordedOutcomeLine {
  if (!plain(v) || !only(v, LINE_KEYS)) return false;
  const { itemId, model, output, usage, latencyMs, costUsd, error, logprobs, sample } = v;
  if (typeof itemId !== "string" || itemId.length === 0) return false;
  if (typeof model !== "string" || model.length === 0) return false;
  if (typeof output !== "string") return false;
  if (usage !== undefined) {
    if (!plain(usage) || !only(usage, USAGE_KEYS)) return false;
    if (!count(usage.inputTokens) || !count(usage.outputTokens)) return false;
    if (!optCount(usage.cachedInputTokens) || !optCount(usage.cacheWriteTokens) || !optCount(usage.reasoningTokens))
      return false;
  }
  if (!optAmount(latencyMs) || !optAmount(costUsd) || !optCount(sample)) return false;
  if (error !== undefined && typeof error !== "string") return false;
  if (logprobs !== undefined) {
    if (!plain(logprobs) || !only(logprobs, LOGPROB_KEYS)) return false;
    if (typeof logprobs.mean !== "number" || !Number.isFinite(logprobs.mean)) return false;
    if (typeof logprobs.min !== "number" || !Number.isFinite(logprobs.min)) return false;
  }
  return true;
}
