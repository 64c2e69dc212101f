import { RecordedUsage } from "../contracts/recorded-outcome.ts";
import type { RawUsage, Usage, UsageFormat } from "../core/types.ts";
import { usageFromAnthropic } from "./anthropic/usage.ts";
import { usageFromGemini } from "./google/usage.ts";
import { usageFromRecorded } from "./offline/recorded-usage.ts";
import { usageFromOpenAI } from "./openai/usage.ts";

// Every usage normaliser by the format it reads: what `routegate store renormalise` re-derives a
// stored outcome's usage with. The adapters call the same functions on every reply.

const NORMALISERS: Readonly<Record<UsageFormat, (raw: unknown) => Usage>> = {
  openai: usageFromOpenAI,
  anthropic: usageFromAnthropic,
  google: usageFromGemini,
  recorded: (raw) => usageFromRecorded(RecordedUsage.parse(raw)),
};

/** Usage from a raw usage object, by today's normaliser of its format; throws when it cannot read it. */
export function normaliseRawUsage(raw: RawUsage): Usage {
  const normalise = NORMALISERS[raw.format];
  if (!normalise) throw new Error(`unknown usage format "${String(raw.format)}"`);
  return normalise(raw.usage);
}
