import { basename } from "node:path";
import { InputError, RunError } from "../core/errors.ts";
import { type TrainingRates, trainingCostUsd } from "../pricing/training-rates.ts";
import { FINISHED_JOB_STATUSES, type FineTuneJobRecord } from "../store/finetune-jobs.ts";
import type { OutcomeStore } from "../store/outcome-store.ts";
import { registerCandidate } from "./candidates.ts";
import { type CostEstimate, estimateTrainingCost } from "./distill.ts";
import type { JobObject, JobsClient } from "./openai-jobs.ts";
import { readTrainingFile } from "./training-file.ts";

// `finetune submit` and `finetune status`. The job id is in the store before any waiting, so a
// killed submit is resumed by `status`, which polls every unfinished job the store holds; a job
// that succeeds registers its ft: model in the candidates file with the cost of the tokens the job
// reports it trained on (OpenAI reports tokens, never dollars: the price table's rate turns them
// into the training cost).

export const PROVIDER = "openai";

export interface FollowOptions {
  store: OutcomeStore;
  client: () => Promise<JobsClient>;
  rates: TrainingRates;
  candidates: string;
  /** Poll until every job followed has finished; otherwise poll once. */
  wait: boolean;
  pollMs: number;
  say: (line: string) => void;
}

export interface SubmitOptions extends FollowOptions {
  file: string;
  base: string;
  eval: string;
  epochs: number;
  maxCostUsd: number | undefined;
  yes: boolean;
  suffix?: string;
}

export async function submit(o: SubmitOptions): Promise<FineTuneJobRecord> {
  const file = readTrainingFile(o.file);
  const rate = o.rates.require(o.base, "--base");
  const estimate = estimateTrainingCost(file.tokens, o.epochs, rate);
  // The estimate comes first, before any check that could stop the command: it is what to decide on.
  o.say(describeEstimate(file.examples, file.tokens, estimate));
  if (o.maxCostUsd === undefined)
    throw new InputError(
      "command line",
      "--max-cost",
      "not given: a fine-tuning job is billed as soon as it runs",
      `add --max-cost USD (at least ${estimate.usd.toFixed(2)} for this file)`,
    );
  if (estimate.usd > o.maxCostUsd)
    throw new InputError(
      "command line",
      "--max-cost",
      `the estimate $${estimate.usd.toFixed(2)} is over --max-cost $${o.maxCostUsd.toFixed(2)}`,
      "raise --max-cost, lower --epochs, or distill fewer examples",
    );
  if (!o.yes)
    throw new InputError(
      "command line",
      "--yes",
      "not given: nothing was uploaded",
      "re-run with --yes to upload the file and start the job",
    );
  const earlier = o.store.fineTuneJobs.sameFile(file.sha256, o.base, o.epochs);
  if (earlier)
    throw new InputError(
      o.file,
      undefined,
      `this file already started job ${earlier.jobId} on ${earlier.baseModel} (${earlier.status})`,
      "follow it with `routegate finetune status`; a second job would be billed again",
    );
  const client = await o.client();
  const fileId = await client.upload(file.bytes, basename(o.file));
  const job = await client.create({
    base: o.base,
    fileId,
    epochs: o.epochs,
    ...(o.suffix ? { suffix: o.suffix } : {}),
  });
  o.store.fineTuneJobs.add({
    provider: PROVIDER,
    jobId: job.id,
    eval: o.eval,
    baseModel: o.base,
    trainingFile: fileId,
    fileSha256: file.sha256,
    epochs: o.epochs,
    estimatedCostUsd: estimate.usd,
    status: job.status,
  });
  o.say(
    `started job ${job.id} (file ${fileId}, ${o.base}, ${o.epochs} epochs); \`routegate finetune status\` resumes it`,
  );
  const [done] = await follow([o.store.fineTuneJobs.get(PROVIDER, job.id)!], { ...o, client: async () => client });
  return done!;
}

/** Polls the given jobs (once, or until they finish), recording each change in the store. */
export async function follow(jobs: FineTuneJobRecord[], o: FollowOptions): Promise<FineTuneJobRecord[]> {
  const open = jobs.filter((j) => !FINISHED_JOB_STATUSES.has(j.status));
  const client = open.length ? await o.client() : undefined;
  for (let pending = open; pending.length > 0; ) {
    for (const j of pending) record(j, await client!.retrieve(j.jobId), o);
    pending = pending
      .map((j) => o.store.fineTuneJobs.get(j.provider, j.jobId)!)
      .filter((j) => !FINISHED_JOB_STATUSES.has(j.status));
    if (!o.wait || pending.length === 0) break;
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
  return jobs.map((j) => o.store.fineTuneJobs.get(j.provider, j.jobId)!);
}

function record(job: FineTuneJobRecord, reply: JobObject, o: FollowOptions): void {
  if (reply.status === "succeeded") {
    const model = reply.fine_tuned_model;
    if (!model) throw new RunError(`job ${job.jobId} succeeded without a fine_tuned_model`);
    const rate = o.rates.require(job.baseModel, `job ${job.jobId}`);
    const trained = reply.trained_tokens ?? null;
    // Without trained_tokens there is nothing to bill from: the estimate stands in, and says so.
    const cost = trained === null ? job.estimatedCostUsd : trainingCostUsd(trained, rate);
    o.store.fineTuneJobs.update(job.provider, job.jobId, {
      status: reply.status,
      fineTunedModel: model,
      trainedTokens: trained,
      trainingCostUsd: cost,
    });
    const spec = registerCandidate(o.candidates, {
      id: `ft-${job.eval}-${job.jobId.slice(-6)}`,
      model,
      baseModel: job.baseModel,
      trainingCostUsd: cost,
    });
    o.say(
      `job ${job.jobId} succeeded: ${model}; ${trained === null ? "no trained_tokens reported, estimate recorded" : `${trained.toLocaleString("en-US")} trained tokens x $${rate.trainingPer1M}/1M`} = $${cost.toFixed(2)} (estimated $${job.estimatedCostUsd.toFixed(2)}); registered as "${spec.id}" in ${o.candidates}`,
    );
    return;
  }
  const error = reply.error?.message ? `${reply.error.code ?? "error"}: ${reply.error.message}` : null;
  o.store.fineTuneJobs.update(job.provider, job.jobId, { status: reply.status, error });
  if (reply.status !== job.status || error) o.say(`job ${job.jobId}: ${reply.status}${error ? ` (${error})` : ""}`);
}

export function describeEstimate(examples: number, tokens: number, e: CostEstimate): string {
  return `estimated training cost: ${examples} examples, ${tokens.toLocaleString("en-US")} tokens x ${e.epochs} epochs = ${e.trainedTokens.toLocaleString("en-US")} trained tokens x $${e.rate.trainingPer1M}/1M (${e.rate.base}, ${e.rate.source}, ${e.rate.date}${e.rate.uncertain ? ", unverified" : ""}) = $${e.usd.toFixed(2)}`;
}
