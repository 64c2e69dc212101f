import { type Answerer, lastUserText, type RecordedRequest } from "./exchange.ts";
import type { Reply } from "./wire.ts";
import { replyFor, type WireProvider } from "./wire.ts";

// The three batch APIs, answered from the same deterministic answerer as the synchronous routes.
// A batch is answered when it is submitted but reports itself done only after `pollsBeforeDone`
// status polls, so a test can kill a client while the batch is still running.

/** What happens to one request of a batch: answered, failed (a 400 in its line), expired, cancelled. */
export type BatchFate = "ok" | "error" | "expired" | "canceled";

export interface BatchSubmission {
  provider: WireProvider;
  id: string;
  model: string | undefined;
  /** The request ids (custom_id / metadata.key) it covers. */
  ids: string[];
  /** The success body each request was answered with (in its wire format), by id. */
  bodies: Map<string, Record<string, unknown>>;
}

export interface FakeBatches {
  /** Status polls a batch answers "running" before it ends (default 0). */
  pollsBeforeDone: number;
  /** How long a batch submission waits before it is answered (default 0): widens the window two clients race in. */
  submitDelayMs: number;
  /** Per request, by its id and last user message (default: every request answered). */
  fate: (id: string, lastUser: string) => BatchFate;
  readonly submissions: BatchSubmission[];
  reset(): void;
}

interface Line {
  id: string;
  fate: BatchFate;
  body: Record<string, unknown>;
}

interface StoredBatch extends BatchSubmission {
  polls: number;
  lines: Line[];
}

export function createFakeBatches(answerer: () => Answerer) {
  const files = new Map<string, string>();
  const batches = new Map<string, StoredBatch>();
  const state: FakeBatches = {
    pollsBeforeDone: 0,
    submitDelayMs: 0,
    fate: () => "ok",
    submissions: [],
    reset() {
      state.submissions.length = 0;
      state.pollsBeforeDone = 0;
      state.submitDelayMs = 0;
      state.fate = () => "ok";
    },
  };

  function answerLines(provider: WireProvider, model: string | undefined, reqs: { id: string; body: unknown }[]) {
    return reqs.map(({ id, body }): Line => {
      const lastUser = lastUserText(provider, body);
      const synthetic: RecordedRequest = {
        method: "POST",
        path: "(batch)",
        headers: {},
        body,
        provider,
        model,
        stream: false,
      };
      const a = answerer();
      const text = a.text(lastUser, synthetic);
      return {
        id,
        fate: state.fate(id, lastUser),
        body: replyFor(provider, { text, usage: a.usage(lastUser, text, synthetic), model }),
      };
    });
  }

  function submit(provider: WireProvider, model: string | undefined, reqs: { id: string; body: unknown }[]) {
    const id = `${provider === "openai" ? "batch_" : provider === "anthropic" ? "msgbatch_" : "batches/"}${batches.size + 1}`;
    const lines = answerLines(provider, model, reqs);
    const bodies = new Map(lines.filter((l) => l.fate === "ok").map((l) => [l.id, l.body]));
    const batch: StoredBatch = { provider, id, model, ids: reqs.map((r) => r.id), bodies, polls: 0, lines };
    batches.set(id, batch);
    state.submissions.push({ provider, id, model, ids: batch.ids, bodies });
    return batch;
  }

  /** A status poll: counts, and says whether the batch has ended. */
  function polled(batch: StoredBatch): boolean {
    batch.polls++;
    return batch.polls > state.pollsBeforeDone;
  }

  function reply(req: RecordedRequest, host: string): Reply | undefined {
    const path = req.path.split("?")[0] ?? req.path;
    const body = isRecord(req.body) ? req.body : {};
    if (req.method === "POST" && path === "/v1/files") {
      const id = `file-${files.size + 1}`;
      files.set(id, jsonlInMultipart(typeof req.body === "string" ? req.body : ""));
      return {
        body: {
          id,
          object: "file",
          bytes: 0,
          created_at: 0,
          filename: "batch.jsonl",
          purpose: "batch",
          status: "processed",
        },
      };
    }
    if (req.method === "POST" && path === "/v1/batches") {
      const input = files.get(String(body.input_file_id)) ?? "";
      const reqs = jsonLines(input).map((l) => ({ id: String(l.custom_id), body: l.body }));
      const model = reqs[0] && isRecord(reqs[0].body) ? String(reqs[0].body.model) : undefined;
      return { body: openaiBatch(submit("openai", model, reqs), false), delayMs: state.submitDelayMs };
    }
    const openaiGet = /^\/v1\/batches\/([^/]+)$/.exec(path);
    if (req.method === "GET" && openaiGet) {
      const batch = batches.get(decodeURIComponent(openaiGet[1]!));
      if (!batch) return notFound(path);
      const done = polled(batch);
      if (done) {
        files.set(`${batch.id}-out`, openaiLines(batch.lines.filter((l) => l.fate === "ok")));
        files.set(`${batch.id}-err`, openaiLines(batch.lines.filter((l) => l.fate !== "ok")));
      }
      return { body: openaiBatch(batch, done) };
    }
    const content = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (req.method === "GET" && content) {
      const text = files.get(decodeURIComponent(content[1]!));
      return text === undefined ? notFound(path) : { raw: text, headers: { "content-type": "application/jsonl" } };
    }
    if (req.method === "POST" && path === "/v1/messages/batches") {
      const list = Array.isArray(body.requests) ? body.requests.filter(isRecord) : [];
      const reqs = list.map((r) => ({ id: String(r.custom_id), body: r.params }));
      const model = reqs[0] && isRecord(reqs[0].body) ? String(reqs[0].body.model) : undefined;
      return { body: anthropicBatch(submit("anthropic", model, reqs), false, host), delayMs: state.submitDelayMs };
    }
    const results = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path);
    if (req.method === "GET" && results) {
      const batch = batches.get(decodeURIComponent(results[1]!));
      if (!batch) return notFound(path);
      const lines = batch.lines.map((l) => JSON.stringify({ custom_id: l.id, result: anthropicResult(l) }));
      return { raw: `${lines.join("\n")}\n`, headers: { "content-type": "application/binary" } };
    }
    const anthropicGet = /^\/v1\/messages\/batches\/([^/]+)$/.exec(path);
    if (req.method === "GET" && anthropicGet) {
      const batch = batches.get(decodeURIComponent(anthropicGet[1]!));
      return batch ? { body: anthropicBatch(batch, polled(batch), host) } : notFound(path);
    }
    const geminiCreate = /^\/v1beta\/models\/([^/:]+):batchGenerateContent$/.exec(path);
    if (req.method === "POST" && geminiCreate) {
      const input = isRecord(body.batch) && isRecord(body.batch.inputConfig) ? body.batch.inputConfig : {};
      const wrapped = isRecord(input.requests) && Array.isArray(input.requests.requests) ? input.requests.requests : [];
      const reqs = wrapped.filter(isRecord).map((r) => ({
        id: isRecord(r.metadata) ? String(r.metadata.key) : "",
        body: r.request,
      }));
      return {
        body: geminiJob(submit("google", decodeURIComponent(geminiCreate[1]!), reqs), false),
        delayMs: state.submitDelayMs,
      };
    }
    const geminiGet = /^\/v1beta\/(batches\/[^/]+)$/.exec(path);
    if (req.method === "GET" && geminiGet) {
      const batch = batches.get(decodeURIComponent(geminiGet[1]!));
      return batch ? { body: geminiJob(batch, polled(batch)) } : notFound(path);
    }
    return undefined;
  }

  /** An uploaded file's JSONL text (the multipart framing removed), for other fake endpoints. */
  const fileText = (id: string): string | undefined => files.get(id);
  return { state, reply, fileText };
}

function openaiBatch(b: StoredBatch, done: boolean): Record<string, unknown> {
  const failed = b.lines.filter((l) => l.fate !== "ok").length;
  return {
    id: b.id,
    object: "batch",
    endpoint: "/v1/chat/completions",
    input_file_id: "file-in",
    completion_window: "24h",
    status: done ? "completed" : "in_progress",
    created_at: 0,
    output_file_id: done ? `${b.id}-out` : null,
    error_file_id: done && failed ? `${b.id}-err` : null,
    request_counts: { total: b.lines.length, completed: done ? b.lines.length - failed : 0, failed: done ? failed : 0 },
  };
}

function openaiLines(lines: Line[]): string {
  return lines
    .map((l) => {
      if (l.fate === "ok")
        return {
          id: `r-${l.id}`,
          custom_id: l.id,
          response: { status_code: 200, request_id: "req", body: l.body },
          error: null,
        };
      if (l.fate === "error") {
        const error = { message: "scripted failure", type: "invalid_request_error", param: null, code: null };
        return {
          id: `r-${l.id}`,
          custom_id: l.id,
          response: { status_code: 400, request_id: "req", body: { error } },
          error: null,
        };
      }
      const code = l.fate === "expired" ? "batch_expired" : "batch_cancelled";
      return { id: `r-${l.id}`, custom_id: l.id, response: null, error: { code, message: `request ${l.fate}` } };
    })
    .map((o) => `${JSON.stringify(o)}\n`)
    .join("");
}

function anthropicBatch(b: StoredBatch, done: boolean, host: string): Record<string, unknown> {
  return {
    id: b.id,
    type: "message_batch",
    processing_status: done ? "ended" : "in_progress",
    request_counts: { processing: done ? 0 : b.lines.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    created_at: "2026-01-01T00:00:00Z",
    expires_at: "2026-01-02T00:00:00Z",
    ended_at: done ? "2026-01-01T00:01:00Z" : null,
    cancel_initiated_at: null,
    archived_at: null,
    results_url: done ? `http://${host}/v1/messages/batches/${b.id}/results` : null,
  };
}

function anthropicResult(l: Line): Record<string, unknown> {
  if (l.fate === "ok") return { type: "succeeded", message: l.body };
  if (l.fate === "error") {
    return {
      type: "errored",
      error: { type: "error", error: { type: "invalid_request_error", message: "scripted failure" } },
    };
  }
  return { type: l.fate };
}

function geminiJob(b: StoredBatch, done: boolean): Record<string, unknown> {
  // Gemini has no per-request expiry: an expired or cancelled request leaves the job in that state.
  const notRun = b.lines.find((l) => l.fate === "expired" || l.fate === "canceled")?.fate;
  const state = !done
    ? "BATCH_STATE_RUNNING"
    : notRun === "expired"
      ? "BATCH_STATE_EXPIRED"
      : notRun
        ? "BATCH_STATE_CANCELLED"
        : "BATCH_STATE_SUCCEEDED";
  const inlined = b.lines
    .filter((l) => l.fate === "ok" || l.fate === "error")
    .map((l) =>
      l.fate === "ok"
        ? { response: l.body, metadata: { key: l.id } }
        : { error: { code: 400, message: "scripted failure", status: "INVALID_ARGUMENT" }, metadata: { key: l.id } },
    );
  return {
    name: b.id,
    metadata: {
      "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch",
      name: b.id,
      model: `models/${b.model ?? ""}`,
      state,
      ...(done ? { output: { inlinedResponses: { inlinedResponses: inlined } } } : {}),
    },
    done,
  };
}

/** The JSONL file inside a multipart/form-data upload (the SDK's files.create). */
function jsonlInMultipart(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => l.startsWith("{"))
    .join("\n");
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown)
    .filter(isRecord);
}

function notFound(path: string): Reply {
  return { status: 404, body: { error: { message: `fake provider: no batch at ${path}` } } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
