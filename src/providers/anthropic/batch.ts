import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { BatchCapable, BatchEntry, BatchItemResult, BatchPoll } from "../batch.ts";
import { notRun } from "../batch.ts";
import { parseBody } from "../hosted/body.ts";
import { errorObjectInBody } from "../hosted/errors.ts";
import type { HostedProviderOptions } from "../hosted/options.ts";
import { mapStainlessError } from "../hosted/stainless-errors.ts";
import { ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { type AnthropicProvider, createAnthropicProvider } from "./chat.ts";
import { anthropicMessagesBody, readAnthropicMessage } from "./wire.ts";

// Anthropic Message Batches: one batch of {custom_id, params}; results are a JSONL stream (the
// batch's results_url) of {custom_id, result: succeeded | errored | canceled | expired}.

type Sdk = typeof import("@anthropic-ai/sdk");
export interface AnthropicConnection {
  client: Anthropic;
  loaded: Sdk;
  timeoutMs: number;
}

const BatchObject = z.looseObject({ id: z.string(), processing_status: z.string() });
const ResultLine = z.looseObject({
  custom_id: z.string(),
  result: z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("succeeded"), message: z.unknown() }),
    z.looseObject({ type: z.literal("errored"), error: z.unknown() }),
    z.looseObject({ type: z.literal("canceled") }),
    z.looseObject({ type: z.literal("expired") }),
  ]),
});

export class AnthropicBatch implements BatchCapable {
  constructor(private readonly connect: (spec: ModelSpec) => Promise<AnthropicConnection>) {}

  submit(spec: ModelSpec, entries: readonly BatchEntry[]): Promise<string> {
    return this.sdk(spec, async ({ client }) => {
      const batch = await client.messages.batches.create({
        requests: entries.map((e) => ({ custom_id: e.hash, params: anthropicMessagesBody(spec, e.request) })),
      });
      return parseBody("anthropic", BatchObject, batch).id;
    });
  }

  poll(spec: ModelSpec, batchId: string): Promise<BatchPoll> {
    return this.sdk(spec, async ({ client }) => {
      const batch = parseBody("anthropic", BatchObject, await client.messages.batches.retrieve(batchId));
      return { done: batch.processing_status === "ended", status: batch.processing_status };
    });
  }

  results(spec: ModelSpec, batchId: string): Promise<BatchItemResult[]> {
    return this.sdk(spec, async ({ client }) => {
      const out: BatchItemResult[] = [];
      for await (const raw of await client.messages.batches.results(batchId)) {
        out.push(readLine(parseBody("anthropic", ResultLine, raw)));
      }
      return out;
    });
  }

  private async sdk<T>(spec: ModelSpec, run: (c: AnthropicConnection) => Promise<T>): Promise<T> {
    const connection = await this.connect(spec);
    try {
      return await run(connection);
    } catch (err) {
      throw mapStainlessError("anthropic", err, connection.loaded, connection.timeoutMs);
    }
  }
}

function readLine(line: z.infer<typeof ResultLine>): BatchItemResult {
  const hash = line.custom_id;
  const r = line.result;
  if (r.type === "canceled" || r.type === "expired") return { hash, error: notRun("anthropic", r.type) };
  if (r.type === "errored") {
    const error =
      errorObjectInBody("anthropic", r.error) ??
      new ProviderError(
        `anthropic: batch request errored: ${JSON.stringify(r.error)}`,
        ProviderErrorCode.BadRequest,
        false,
      );
    return { hash, error };
  }
  try {
    return { hash, result: readAnthropicMessage(r.message) };
  } catch (err) {
    if (err instanceof ProviderError) return { hash, error: err };
    throw err;
  }
}

/**
 * The anthropic provider with its Message Batches API, for evaluation (`routegate eval --batch`). Production
 * routing builds the plain adapter (chat.ts), so no batch code is in the runtime's import closure.
 */
export function createAnthropicBatchingProvider(
  opts: HostedProviderOptions = {},
): AnthropicProvider & { batch: AnthropicBatch } {
  const provider = createAnthropicProvider(opts);
  return Object.assign(provider, { batch: new AnthropicBatch((spec) => provider.connect(spec)) });
}
