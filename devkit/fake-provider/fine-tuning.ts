import type { RecordedRequest } from "./exchange.ts";
import type { Reply } from "./wire.ts";

// OpenAI's fine-tuning jobs (POST /v1/fine_tuning/jobs, GET /v1/fine_tuning/jobs/{id}) over the
// files the batch endpoints already accept. A job reports "running" for `pollsBeforeDone` polls,
// then ends as `outcome` says. Trained tokens are the fake's own count (whitespace words of every
// message, times the epochs), so a test can check the cost is computed from what the job reported.

export interface FineTuneSubmission {
  id: string;
  model: string;
  trainingFile: string;
  epochs: number;
  suffix: string | undefined;
}

export interface FakeFineTuning {
  pollsBeforeDone: number;
  outcome: "succeeded" | "failed";
  readonly jobs: FineTuneSubmission[];
  /** Polls each job received, by id. */
  readonly polls: Map<string, number>;
  reset(): void;
}

const DEFAULT_EPOCHS = 3;

export function createFakeFineTuning(fileText: (id: string) => string | undefined) {
  const state: FakeFineTuning = {
    pollsBeforeDone: 0,
    outcome: "succeeded",
    jobs: [],
    polls: new Map(),
    reset() {
      state.pollsBeforeDone = 0;
      state.outcome = "succeeded";
      state.jobs.length = 0;
      state.polls.clear();
    },
  };

  function reply(req: RecordedRequest): Reply | undefined {
    const path = req.path.split("?")[0] ?? req.path;
    const body = isRecord(req.body) ? req.body : {};
    if (req.method === "POST" && path === "/v1/fine_tuning/jobs") {
      const file = String(body.training_file ?? "");
      if (fileText(file) === undefined)
        return {
          status: 400,
          body: {
            error: {
              message: `invalid training_file: ${file}`,
              type: "invalid_request_error",
              param: "training_file",
              code: null,
            },
          },
        };
      if (typeof body.model !== "string" || !body.model)
        return {
          status: 400,
          body: { error: { message: "model is required", type: "invalid_request_error", param: "model", code: null } },
        };
      const job: FineTuneSubmission = {
        id: `ftjob-fake${String(state.jobs.length + 1).padStart(6, "0")}`,
        model: body.model,
        trainingFile: file,
        epochs: epochsOf(body),
        suffix: typeof body.suffix === "string" ? body.suffix : undefined,
      };
      state.jobs.push(job);
      return { body: jobObject(job, "validating_files") };
    }
    const get = /^\/v1\/fine_tuning\/jobs\/([^/]+)$/.exec(path);
    if (req.method === "GET" && get) {
      const id = decodeURIComponent(get[1]!);
      const job = state.jobs.find((j) => j.id === id);
      if (!job)
        return { status: 404, body: { error: { message: `no fine-tuning job ${id}`, type: "invalid_request_error" } } };
      const polls = (state.polls.get(id) ?? 0) + 1;
      state.polls.set(id, polls);
      if (polls <= state.pollsBeforeDone) return { body: jobObject(job, polls === 1 ? "queued" : "running") };
      return { body: jobObject(job, state.outcome, trainedTokens(fileText(job.trainingFile) ?? "", job.epochs)) };
    }
    return undefined;
  }

  return { state, reply };
}

function jobObject(job: FineTuneSubmission, status: string, trained?: number): Record<string, unknown> {
  const succeeded = status === "succeeded";
  return {
    object: "fine_tuning.job",
    id: job.id,
    model: job.model,
    created_at: 1_700_000_000,
    finished_at: succeeded || status === "failed" ? 1_700_003_600 : null,
    fine_tuned_model: succeeded ? `ft:${job.model}:fake-org:${job.suffix ?? ""}:${job.id.slice(-8)}` : null,
    organization_id: "org-fake",
    result_files: [],
    status,
    training_file: job.trainingFile,
    validation_file: null,
    trained_tokens: succeeded ? (trained ?? null) : null,
    hyperparameters: { n_epochs: job.epochs, batch_size: "auto", learning_rate_multiplier: "auto" },
    method: { type: "supervised", supervised: { hyperparameters: { n_epochs: job.epochs } } },
    seed: 0,
    error:
      status === "failed"
        ? { code: "invalid_training_file", message: "The fake rejected the training file.", param: "training_file" }
        : null,
  };
}

function epochsOf(body: Record<string, unknown>): number {
  const method = isRecord(body.method) && isRecord(body.method.supervised) ? body.method.supervised : undefined;
  const hp = isRecord(method?.hyperparameters)
    ? method.hyperparameters
    : isRecord(body.hyperparameters)
      ? body.hyperparameters
      : {};
  return typeof hp.n_epochs === "number" ? hp.n_epochs : DEFAULT_EPOCHS;
}

/** Whitespace words of every message of every line, times the epochs. */
function trainedTokens(jsonl: string, epochs: number): number {
  let words = 0;
  for (const line of jsonl.split("\n")) {
    if (!line.trim()) continue;
    const parsed = JSON.parse(line) as { messages?: { content?: string }[] };
    for (const m of parsed.messages ?? []) words += (m.content ?? "").split(/\s+/).filter(Boolean).length;
  }
  return words * epochs;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
