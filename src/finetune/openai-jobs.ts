import type OpenAI from "openai";
import { z } from "zod";
import { InputError, RunError } from "../core/errors.ts";

// OpenAI's fine-tuning API through the official SDK: upload the file (purpose "fine-tune"), start a
// supervised job with a fixed epoch count (so the estimate and the bill count the same epochs), and
// read the job back. Replies are checked with zod: a job without an id or status is an error here,
// not an undefined later.

export const JobObject = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  model: z.string().optional(),
  fine_tuned_model: z.string().nullish(),
  trained_tokens: z.number().int().nonnegative().nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export type JobObject = z.infer<typeof JobObject>;

const FileObject = z.looseObject({ id: z.string().min(1) });

export interface JobsClient {
  upload(bytes: Buffer, filename: string): Promise<string>;
  create(opts: { base: string; fileId: string; epochs: number; suffix?: string }): Promise<JobObject>;
  retrieve(jobId: string): Promise<JobObject>;
}

/** A client for OPENAI_API_KEY at OPENAI_BASE_URL (default api.openai.com); the key never leaves memory. */
export async function openaiJobsClient(env: NodeJS.ProcessEnv = process.env): Promise<JobsClient> {
  const apiKey = env.OPENAI_API_KEY;
  if (!apiKey)
    throw new InputError(
      "environment",
      "OPENAI_API_KEY",
      "not set: fine-tuning jobs run on your OpenAI account",
      "export OPENAI_API_KEY=<your key>",
    );
  const loaded = await import("openai");
  const client: OpenAI = new loaded.OpenAI({
    apiKey,
    baseURL: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
    adminAPIKey: null,
    organization: env.OPENAI_ORG_ID ?? null,
    project: env.OPENAI_PROJECT_ID ?? null,
    maxRetries: 2,
    timeout: 120_000,
  });
  const checked = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new RunError(`openai returned a malformed ${what}`, [parsed.error.issues[0]!.message]);
    return parsed.data;
  };
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof loaded.APIError && (err.status === 400 || err.status === 401 || err.status === 404))
        throw new RunError(`openai refused to ${what} (HTTP ${err.status})`, [err.message]);
      throw err;
    }
  };
  return {
    upload: async (bytes, filename) =>
      checked(
        FileObject,
        await call("upload the training file", async () =>
          client.files.create({ file: await loaded.toFile(bytes, filename), purpose: "fine-tune" }),
        ),
        "file object",
      ).id,
    create: async ({ base, fileId, epochs, suffix }) =>
      checked(
        JobObject,
        await call("start the fine-tuning job", () =>
          client.fineTuning.jobs.create({
            model: base,
            training_file: fileId,
            ...(suffix ? { suffix } : {}),
            method: { type: "supervised", supervised: { hyperparameters: { n_epochs: epochs } } },
          }),
        ),
        "fine-tuning job",
      ),
    retrieve: async (jobId) =>
      checked(
        JobObject,
        await call("read the fine-tuning job", () => client.fineTuning.jobs.retrieve(jobId)),
        "fine-tuning job",
      ),
  };
}
