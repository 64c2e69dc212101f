import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { ProviderResult } from "../../core/types.ts";
import type { BatchCapable, BatchItemResult } from "../batch.ts";
import { badResponse } from "../hosted/errors.ts";
import type { Provider } from "../provider.ts";
import { ProviderError } from "../provider-error.ts";
import type { StreamEvent } from "../stream.ts";
import { jsonHoldsSecret, scrubJson } from "./scrub-json.ts";
import type { SecretScrubber } from "./secret-scrubber.ts";
import { StreamScrubber } from "./stream-scrubber.ts";

// Where results and errors leave the provider layer. The evaluation's models and the runtime's
// are wrapped here, so whatever path a key took into a reply (a thrown SDK error, an error object
// in a 200 body, the answer text itself, a batch result line) it is replaced before anything can
// store, print, log or render it.

/** `inner`, with every secret of `scrubber` removed from what it returns and throws. */
export function scrubbedProvider(inner: Provider, scrubber: SecretScrubber): Provider {
  if (scrubber.empty) return inner;
  const sync = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      throw scrubError(err, scrubber);
    }
  };
  const wrapped: Provider = {
    specificationVersion: inner.specificationVersion,
    id: inner.id,
    offline: inner.offline,
    ...(inner.embedOnly ? { embedOnly: true } : {}),
    snapshot: (model) => sync(() => inner.snapshot(model)),
    complete: (model, request, ctx) =>
      guarded(scrubber, async () => scrubResult(await inner.complete(model, request, ctx), scrubber)),
  };
  const { validate, defaults, secrets, batch, prepare, embed, stream, readAhead } = inner;
  if (readAhead) wrapped.readAhead = (model, identities) => sync(() => readAhead.call(inner, model, identities));
  if (stream)
    wrapped.stream = (model, request, ctx) => scrubbedStream(stream.call(inner, model, request, ctx), scrubber);
  if (prepare) wrapped.prepare = (model) => guarded(scrubber, () => prepare.call(inner, model));
  if (embed)
    wrapped.embed = (model, request, ctx) =>
      guarded(scrubber, async () => scrubResult(await embed.call(inner, model, request, ctx), scrubber));
  if (validate) wrapped.validate = (model, site) => sync(() => validate.call(inner, model, site));
  if (defaults) wrapped.defaults = (model) => defaults.call(inner, model);
  if (secrets) wrapped.secrets = (model?: ModelSpec) => secrets.call(inner, model);
  return batch ? { ...wrapped, batch: scrubbedBatch(inner.id, batch, scrubber) } : wrapped;
}

/** A result with its strings (raw usage included) scrubbed, marked `redacted` when anything was replaced. */
export function scrubResult<R extends Omit<ProviderResult, "latencyMs">>(result: R, scrubber: SecretScrubber): R {
  const found =
    scrubber.finds(result.text) ||
    scrubber.finds(result.snapshot) ||
    scrubber.finds(result.serviceTier) ||
    (result.rawUsage !== undefined && jsonHoldsSecret(result.rawUsage.usage, scrubber));
  if (!found) return result;
  return {
    ...result,
    text: scrubber.scrub(result.text),
    ...(result.snapshot !== undefined ? { snapshot: scrubber.scrub(result.snapshot) } : {}),
    ...(result.serviceTier !== undefined ? { serviceTier: scrubber.scrub(result.serviceTier) } : {}),
    ...(result.rawUsage !== undefined
      ? { rawUsage: { format: result.rawUsage.format, usage: scrubJson(result.rawUsage.usage, scrubber) } }
      : {}),
    redacted: true,
  };
}

/**
 * The error with every secret removed from its message, stack and causes. Scrubbed in place, so
 * its class and fields (retryability, status, billing) stay what the adapter decided; a
 * ProviderError is marked `redacted`. Anything holding no secret (an abort reason) is returned as is.
 */
export function scrubError(err: unknown, scrubber: SecretScrubber): unknown {
  if (typeof err === "string") return scrubber.scrub(err);
  if (!(err instanceof Error) || !holdsSecret(err, scrubber, 0)) return err;
  try {
    scrubInPlace(err, scrubber, 0);
    return err;
  } catch {
    // A frozen error cannot be edited: a plain copy of what it says, scrubbed, goes on instead.
    return new Error(scrubber.scrub(err.message));
  }
}

const MAX_CAUSES = 4;

function holdsSecret(value: unknown, scrubber: SecretScrubber, depth: number): boolean {
  if (typeof value === "string") return scrubber.finds(value);
  if (!(value instanceof Error) || depth > MAX_CAUSES) return false;
  return scrubber.finds(value.message) || scrubber.finds(value.stack) || holdsSecret(value.cause, scrubber, depth + 1);
}

function scrubInPlace(err: Error, scrubber: SecretScrubber, depth: number): void {
  err.message = scrubber.scrub(err.message);
  if (err.stack !== undefined) err.stack = scrubber.scrub(err.stack);
  if (err instanceof ProviderError) err.redacted = true;
  if (typeof err.cause === "string") err.cause = scrubber.scrub(err.cause);
  else if (err.cause instanceof Error && depth < MAX_CAUSES) scrubInPlace(err.cause, scrubber, depth + 1);
}

async function guarded<T>(scrubber: SecretScrubber, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw scrubError(err, scrubber);
  }
}

function scrubbedBatch(id: string, inner: BatchCapable, scrubber: SecretScrubber): BatchCapable {
  return {
    submit: (model, entries) =>
      guarded(scrubber, async () => {
        const batchId = await inner.submit(model, entries);
        // The id is stored to resume the batch, and a scrubbed id could not be polled: refuse it.
        if (scrubber.finds(batchId)) throw badResponse(id, "the batch id holds a configured API key");
        return batchId;
      }),
    poll: (model, batchId) =>
      guarded(scrubber, async () => {
        const poll = await inner.poll(model, batchId);
        return { ...poll, status: scrubber.scrub(poll.status) };
      }),
    results: (model, batchId) =>
      guarded(scrubber, async () => (await inner.results(model, batchId)).map((r) => scrubLine(r, scrubber))),
  };
}

function scrubLine(line: BatchItemResult, scrubber: SecretScrubber): BatchItemResult {
  if ("error" in line) return { hash: line.hash, error: scrubError(line.error, scrubber) as ProviderError };
  return { hash: line.hash, result: scrubResult(line.result, scrubber) };
}

/**
 * A streamed answer with every secret removed before any piece is passed on: text and each tool
 * call's arguments go through their own StreamScrubber (a key split across two pieces is still
 * found), the held-back tails are flushed before the end, and the end result is scrubbed whole.
 */
async function* scrubbedStream(
  inner: AsyncIterable<StreamEvent>,
  scrubber: SecretScrubber,
): AsyncGenerator<StreamEvent> {
  const text = new StreamScrubber(scrubber);
  const args = new Map<number, StreamScrubber>();
  try {
    for await (const event of inner) {
      if (event.type === "text") {
        const safe = text.push(event.text);
        if (safe) yield { type: "text", text: safe };
      } else if (event.type === "tool_call") {
        let s = args.get(event.index);
        if (!s) {
          s = new StreamScrubber(scrubber);
          args.set(event.index, s);
        }
        const safe = event.arguments ? s.push(event.arguments) : "";
        const { arguments: _raw, ...head } = event;
        const named = { ...head, ...(head.name ? { name: scrubber.scrub(head.name) } : {}) };
        if (safe || event.id || event.name) yield { ...named, ...(safe ? { arguments: safe } : {}) };
      } else {
        const tail = text.end();
        if (tail) yield { type: "text", text: tail };
        for (const [index, s] of args) {
          const rest = s.end();
          if (rest) yield { type: "tool_call", index, arguments: rest };
        }
        const result = scrubResult(event.result, scrubber);
        const toolCalls = result.toolCalls?.map((c) => ({ ...c, arguments: scrubber.scrub(c.arguments) }));
        yield { type: "end", result: toolCalls ? { ...result, toolCalls } : result };
      }
    }
  } catch (err) {
    throw scrubError(err, scrubber);
  }
}
