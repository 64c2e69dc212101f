import type OpenAI from "openai";
import { z } from "zod";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { BatchCapable, BatchEntry, BatchItemResult, BatchPoll } from "../batch.ts";
import { notRun } from "../batch.ts";
import { parseBody } from "../hosted/body.ts";
import { errorFromStatus, errorObjectInBody } from "../hosted/errors.ts";
import type { HostedProviderOptions } from "../hosted/options.ts";
import { mapStainlessError } from "../hosted/stainless-errors.ts";
import { ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { createOpenAIProvider, type OpenAIProvider } from "./chat.ts";
import { openaiChatBody, readOpenAIChat } from "./wire.ts";

// The OpenAI Batch API: a JSONL file of Chat Completions requests (purpose "batch"), one batch
// over it, and an output file (plus an error file) of per-request lines keyed by custom_id.

type Sdk = typeof import("openai");
export interface OpenAIConnection {
  client: OpenAI;
  loaded: Sdk;
  timeoutMs: number;
}

const ENDPOINT = "/v1/chat/completions";
const DONE = new Set(["completed", "failed", "expired", "cancelled"]);

const FileObject = z.looseObject({ id: z.string() });
const BatchObject = z.looseObject({
  id: z.string(),
  status: z.string(),
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
});
const OutputLine = z.looseObject({
  custom_id: z.string(),
  response: z.looseObject({ status_code: z.number(), body: z.unknown() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

export class OpenAIBatch implements BatchCapable {
  constructor(private readonly connect: (spec: ModelSpec) => Promise<OpenAIConnection>) {}

  async submit(spec: ModelSpec, entries: readonly BatchEntry[]): Promise<string> {
    const jsonl = entries
      .map((e) =>
        JSON.stringify({
          custom_id: e.hash,
          method: "POST",
          url: ENDPOINT,
          body: openaiChatBody(spec, e.request, "openai"),
        }),
      )
      .join("\n");
    return this.sdk(spec, async ({ client, loaded }) => {
      const upload = await loaded.toFile(Buffer.from(`${jsonl}\n`, "utf8"), "routegate-batch.jsonl");
      const file = parseBody("openai", FileObject, await client.files.create({ file: upload, purpose: "batch" }));
      const batch = await client.batches.create({
        input_file_id: file.id,
        endpoint: ENDPOINT,
        completion_window: "24h",
      });
      return parseBody("openai", BatchObject, batch).id;
    });
  }

  poll(spec: ModelSpec, batchId: string): Promise<BatchPoll> {
    return this.sdk(spec, async ({ client }) => {
      const batch = parseBody("openai", BatchObject, await client.batches.retrieve(batchId));
      return { done: DONE.has(batch.status), status: batch.status };
    });
  }

  results(spec: ModelSpec, batchId: string): Promise<BatchItemResult[]> {
    return this.sdk(spec, async ({ client }) => {
      const batch = parseBody("openai", BatchObject, await client.batches.retrieve(batchId));
      const out: BatchItemResult[] = [];
      // Successes and per-request errors come in the output file, failed requests in the error file.
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client.files.content(fileId)).text();
        for (const raw of text.split("\n")) {
          if (raw.trim()) out.push(readLine(parseBody("openai", OutputLine, JSON.parse(raw))));
        }
      }
      return out;
    });
  }

  private async sdk<T>(spec: ModelSpec, run: (c: OpenAIConnection) => Promise<T>): Promise<T> {
    const connection = await this.connect(spec);
    try {
      return await run(connection);
    } catch (err) {
      throw mapStainlessError("openai", err, connection.loaded, connection.timeoutMs);
    }
  }
}

function readLine(line: z.infer<typeof OutputLine>): BatchItemResult {
  const hash = line.custom_id;
  const response = line.response;
  try {
    if (response && response.status_code >= 200 && response.status_code < 300) {
      return { hash, result: readOpenAIChat("openai", response.body) };
    }
    if (response) {
      const inBody = errorObjectInBody("openai", response.body);
      return {
        hash,
        error: inBody ?? errorFromStatus("openai", response.status_code, "batch request failed"),
      };
    }
  } catch (err) {
    if (err instanceof ProviderError) return { hash, error: err };
    throw err;
  }
  const code = line.error?.code ?? "";
  const message = line.error?.message ?? "batch request failed";
  if (code === "batch_expired") return { hash, error: notRun("openai", "expired", message) };
  if (code === "batch_cancelled") return { hash, error: notRun("openai", "canceled", message) };
  return {
    hash,
    error: new ProviderError(`openai: ${code || "error"}: ${message}`, ProviderErrorCode.BadRequest, false),
  };
}

/**
 * The openai provider with its Batch API, for evaluation (`routegate eval --batch`). Production
 * routing builds the plain adapter (chat.ts), so no batch code is in the runtime's import closure.
 */
export function createOpenAIBatchingProvider(
  opts: HostedProviderOptions = {},
): OpenAIProvider & { batch: OpenAIBatch } {
  const provider = createOpenAIProvider(opts);
  return Object.assign(provider, { batch: new OpenAIBatch((spec) => provider.connect(spec)) });
}
