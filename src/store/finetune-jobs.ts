import type Database from "better-sqlite3";

/** One fine-tuning job as the store keeps it (schema: the finetune_jobs migration). */
export interface FineTuneJobRecord {
  provider: string;
  jobId: string;
  eval: string;
  baseModel: string;
  /** The uploaded file's provider id. */
  trainingFile: string;
  /** sha256 of the training file's bytes: the same file is never submitted twice by mistake. */
  fileSha256: string;
  epochs: number;
  estimatedCostUsd: number;
  status: string;
  fineTunedModel: string | null;
  /** Tokens the provider reports it trained on (file tokens x epochs); null until it finishes. */
  trainedTokens: number | null;
  /** trainedTokens at the training rate: the actual cost; null until it finishes. */
  trainingCostUsd: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  provider: string;
  job_id: string;
  eval: string;
  base_model: string;
  training_file: string;
  file_sha256: string;
  epochs: number;
  estimated_cost_usd: number;
  status: string;
  fine_tuned_model: string | null;
  trained_tokens: number | null;
  training_cost_usd: number | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** Terminal statuses of OpenAI's fine-tuning jobs: nothing changes after them. */
export const FINISHED_JOB_STATUSES: ReadonlySet<string> = new Set(["succeeded", "failed", "cancelled"]);

/**
 * The fine-tuning jobs table. A job is recorded right after the provider accepted it and before
 * any waiting, so a killed `finetune submit` leaves its id behind for `finetune status` to resume.
 */
export class FineTuneJobs {
  constructor(private readonly db: Database.Database) {}

  add(
    job: Omit<
      FineTuneJobRecord,
      "fineTunedModel" | "trainedTokens" | "trainingCostUsd" | "error" | "createdAt" | "updatedAt"
    >,
  ): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO finetune_jobs (provider, job_id, eval, base_model, training_file, file_sha256, epochs,
           estimated_cost_usd, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        job.provider,
        job.jobId,
        job.eval,
        job.baseModel,
        job.trainingFile,
        job.fileSha256,
        job.epochs,
        job.estimatedCostUsd,
        job.status,
        now,
        now,
      );
  }

  update(
    provider: string,
    jobId: string,
    fields: {
      status: string;
      fineTunedModel?: string | null;
      trainedTokens?: number | null;
      trainingCostUsd?: number | null;
      error?: string | null;
    },
  ): void {
    this.db
      .prepare(
        `UPDATE finetune_jobs SET status = ?, fine_tuned_model = COALESCE(?, fine_tuned_model),
           trained_tokens = COALESCE(?, trained_tokens), training_cost_usd = COALESCE(?, training_cost_usd),
           error = COALESCE(?, error), updated_at = ? WHERE provider = ? AND job_id = ?`,
      )
      .run(
        fields.status,
        fields.fineTunedModel ?? null,
        fields.trainedTokens ?? null,
        fields.trainingCostUsd ?? null,
        fields.error ?? null,
        new Date().toISOString(),
        provider,
        jobId,
      );
  }

  get(provider: string, jobId: string): FineTuneJobRecord | undefined {
    const row = this.db.prepare("SELECT * FROM finetune_jobs WHERE provider = ? AND job_id = ?").get(provider, jobId) as
      | Row
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Jobs that may still change, oldest first. */
  open(): FineTuneJobRecord[] {
    return this.all().filter((j) => !FINISHED_JOB_STATUSES.has(j.status));
  }

  /** A job already started from the same file bytes, base model and epochs (a resubmission). */
  sameFile(fileSha256: string, baseModel: string, epochs: number): FineTuneJobRecord | undefined {
    return this.all().find(
      (j) =>
        j.fileSha256 === fileSha256 &&
        j.baseModel === baseModel &&
        j.epochs === epochs &&
        j.status !== "failed" &&
        j.status !== "cancelled",
    );
  }

  all(): FineTuneJobRecord[] {
    return (this.db.prepare("SELECT * FROM finetune_jobs ORDER BY created_at, job_id").all() as Row[]).map(fromRow);
  }
}

function fromRow(row: Row): FineTuneJobRecord {
  return {
    provider: row.provider,
    jobId: row.job_id,
    eval: row.eval,
    baseModel: row.base_model,
    trainingFile: row.training_file,
    fileSha256: row.file_sha256,
    epochs: row.epochs,
    estimatedCostUsd: row.estimated_cost_usd,
    status: row.status,
    fineTunedModel: row.fine_tuned_model,
    trainedTokens: row.trained_tokens,
    trainingCostUsd: row.training_cost_usd,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
