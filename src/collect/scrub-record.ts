import { jsonHoldsSecret, scrubJson } from "../providers/scrub/scrub-json.ts";
import type { SecretScrubber } from "../providers/scrub/secret-scrubber.ts";
import type { OutcomeRecord, ServedOutcome } from "../store/outcome-store.ts";

/**
 * An outcome with every configured key removed from its text fields, marked `redacted` when one
 * was found; the same record when none was. Providers' replies are scrubbed as they arrive; this
 * also covers what reaches the store another way (a prompt built from data that holds a key, an
 * outcome stored by an older routegate), so nothing written or read back can carry a key.
 */
export function scrubRecord(record: OutcomeRecord, scrubber: SecretScrubber): OutcomeRecord {
  // No key configured (an offline run, most often): nothing to look for in any field.
  if (scrubber.empty) return record;
  const messagesOf = () => {
    const request = record.request;
    return "messages" in request ? request.messages : [{ role: "user" as const, content: request.input }];
  };
  const holds =
    servedHoldsSecret(record, scrubber) ||
    (record.rawUsage != null && jsonHoldsSecret(record.rawUsage.usage, scrubber)) ||
    messagesOf().some((m) => scrubber.finds(m.content));
  if (!holds) return record;
  const request = record.request;
  const messages = messagesOf();
  const scrub = (text: string) => scrubber.scrub(text);
  return {
    ...record,
    output: scrub(record.output),
    error: record.error === null ? null : scrub(record.error),
    snapshot: scrub(record.snapshot),
    serviceTier: record.serviceTier === null ? null : scrub(record.serviceTier),
    request:
      "messages" in request
        ? { ...request, messages: messages.map((m) => ({ ...m, content: scrub(m.content) })) }
        : { ...request, input: scrub(request.input) },
    ...(record.rawUsage != null
      ? { rawUsage: { format: record.rawUsage.format, usage: scrubJson(record.rawUsage.usage, scrubber) } }
      : {}),
    redacted: true,
  };
}

/** Whether the parts of an outcome an evaluation serves (its answer, error, snapshot, tier) hold a key. */
export function servedHoldsSecret(record: ServedOutcome, scrubber: SecretScrubber): boolean {
  return (
    scrubber.finds(record.output) ||
    scrubber.finds(record.error) ||
    scrubber.finds(record.snapshot) ||
    scrubber.finds(record.serviceTier)
  );
}
