import type { GoogleGenAI } from "@google/genai";
import { z } from "zod";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import type { BatchCapable, BatchEntry, BatchItemResult, BatchPoll } from "../batch.ts";
import { parseBody } from "../hosted/body.ts";
import { errorFromStatus } from "../hosted/errors.ts";
import type { HostedProviderOptions } from "../hosted/options.ts";
import { ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { createGoogleProvider, type GoogleProvider } from "./chat.ts";
import { geminiRequest, readGeminiResponse } from "./wire.ts";

// Gemini batch mode with inlined requests: each request carries its hash as metadata.key, and the
// finished job holds dest.inlinedResponses[].{response | error, metadata}.

type Sdk = typeof import("@google/genai");
export interface GoogleConnection {
  client: GoogleGenAI;
  loaded: Sdk;
}

const DONE = new Set(["JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED"]);

/** What a poll reads: a malformed result line must not stop the polling, only its own request. */
const JobState = z.looseObject({ name: z.string(), state: z.string().nullish() });
const Job = z.looseObject({
  name: z.string(),
  state: z.string().nullish(),
  dest: z
    .looseObject({
      inlinedResponses: z
        .array(
          z.looseObject({
            response: z.unknown().optional(),
            error: z.looseObject({ code: z.number().nullish(), message: z.string().nullish() }).nullish(),
            metadata: z.record(z.string(), z.string()).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

export class GoogleBatch implements BatchCapable {
  constructor(private readonly connect: (spec: ModelSpec) => Promise<GoogleConnection>) {}

  submit(spec: ModelSpec, entries: readonly BatchEntry[]): Promise<string> {
    return this.sdk(spec, async ({ client }) => {
      const src = entries.map((e) => ({ ...geminiRequest(e.request), metadata: { key: e.hash } }));
      return parseBody("google", JobState, await client.batches.create({ model: spec.model, src })).name;
    });
  }

  poll(spec: ModelSpec, batchId: string): Promise<BatchPoll> {
    return this.sdk(spec, async ({ client }) => {
      const job = parseBody("google", JobState, await client.batches.get({ name: batchId }));
      const status = job.state ?? "JOB_STATE_UNSPECIFIED";
      return { done: DONE.has(status), status };
    });
  }

  results(spec: ModelSpec, batchId: string): Promise<BatchItemResult[]> {
    return this.sdk(spec, async ({ client }) => {
      const job = parseBody("google", Job, await client.batches.get({ name: batchId }));
      const out: BatchItemResult[] = [];
      for (const line of job.dest?.inlinedResponses ?? []) {
        // Without its key a line cannot be matched to a request; that request is then failed as missing.
        const hash = line.metadata?.key;
        if (!hash) continue;
        if (line.error) {
          const message = line.error.message ?? "batch request failed";
          out.push({ hash, error: errorFromStatus("google", line.error.code ?? 500, message) });
          continue;
        }
        try {
          out.push({ hash, result: readGeminiResponse(line.response) });
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          out.push({ hash, error: err });
        }
      }
      return out;
    });
  }

  private async sdk<T>(spec: ModelSpec, run: (c: GoogleConnection) => Promise<T>): Promise<T> {
    const connection = await this.connect(spec);
    try {
      return await run(connection);
    } catch (err) {
      throw mapJobError(err, connection.loaded);
    }
  }
}

function mapJobError(err: unknown, loaded: Sdk): unknown {
  if (err instanceof loaded.ApiError) return errorFromStatus("google", err.status, err.message);
  if (err instanceof TypeError) return new ProviderError(`google: ${err.message}`, ProviderErrorCode.Connection, true);
  return err;
}

/**
 * The google provider with its batch mode, for evaluation (`routegate eval --batch`). Production
 * routing builds the plain adapter (chat.ts), so no batch code is in the runtime's import closure.
 */
export function createGoogleBatchingProvider(
  opts: HostedProviderOptions = {},
): GoogleProvider & { batch: GoogleBatch } {
  const provider = createGoogleProvider(opts);
  return Object.assign(provider, { batch: new GoogleBatch((spec) => provider.connect(spec)) });
}
