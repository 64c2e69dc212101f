import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeBatches, type FakeBatches } from "./batches.ts";
import { embeddingReply, embeddingRoute } from "./embeddings.ts";
import { type Answerer, lastUserText, type RecordedRequest, type Responder, type Script } from "./exchange.ts";
import { createFakeFineTuning, type FakeFineTuning } from "./fine-tuning.ts";
import { sseFrames } from "./sse.ts";
import { type Reply, replyFor } from "./wire.ts";

// A local stand-in for the OpenAI (and so vLLM), Anthropic and Gemini HTTP APIs, good enough for
// the official SDKs. It listens on 127.0.0.1 only, on a port the OS picks, and is started and
// stopped by each test. Tests script it (a queue of replies, or a function of the request) and read
// back every request it received. It never prints what it receives: requests carry API keys.

export { fakeEmbedding, fakeEmbeddingTokens } from "./embeddings.ts";
// The fake's public face: tests import the request and reply shapes from here.
export type { Answerer, RecordedRequest, Responder, Script } from "./exchange.ts";
export { lastUserText } from "./exchange.ts";
export type { Reply } from "./wire.ts";

export interface FakeProvider {
  readonly port: number;
  /** `http://127.0.0.1:PORT/v1` (OpenAI and vLLM clients). */
  readonly openaiBaseUrl: string;
  /** `http://127.0.0.1:PORT` (Anthropic and Gemini clients). */
  readonly rootUrl: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, answered in arrival order by the next requests. */
  enqueue(...scripts: Script[]): void;
  /** The batch endpoints' script (failures, expiry, polls before done) and their submissions. */
  readonly batches: FakeBatches;
  /** The fine-tuning jobs' script (polls before done, outcome) and the jobs started. */
  readonly fineTuning: FakeFineTuning;
  /** Replaces the answerer used when the queue is empty. */
  setAnswerer(answerer: Answerer): void;
  /** Sets (or with undefined, removes) the standing script asked before the default answer. */
  setResponder(responder: Responder | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

/** Whitespace words, the fake's token count: simple and predictable for tests. */
export function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

/** The default answerer: answers "ok", 40 + 2 x words prompt tokens of which 32 cached. */
export const defaultAnswerer: Answerer = {
  text: () => "ok",
  usage: (lastUser, text) => ({ prompt: 40 + 2 * wordCount(lastUser), cached: 32, output: wordCount(text) }),
};

export async function startFakeProvider(answerer: Answerer = defaultAnswerer): Promise<FakeProvider> {
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  let answer = answerer;
  let responder: Responder | undefined;
  const batches = createFakeBatches(() => answer);
  const fineTuning = createFakeFineTuning(batches.fileText);

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = req.url ?? "/";
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      headers: flatHeaders(req),
      body: parseJson(text),
      ...route(path, parseJson(text)),
    };
    requests.push(recorded);
    const scripted = queue.shift();
    const reply = scripted
      ? typeof scripted === "function"
        ? scripted(recorded)
        : scripted
      : (responder?.(recorded) ??
        fineTuning.reply(recorded) ??
        batches.reply(recorded, req.headers.host ?? "127.0.0.1") ??
        defaultReply(recorded, answer));
    if (reply.hang) return;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    const status = reply.status ?? 200;
    const payload = reply.raw ?? JSON.stringify(reply.body ?? {});
    recorded.reply = { status, body: reply.raw ?? reply.body };
    if (reply.truncateAt !== undefined) return truncated(res, status, payload, reply);
    if (status === 200 && recorded.stream && reply.raw === undefined) return streamed(res, recorded, reply);
    if (reply.dripChunks) return drip(res, status, payload, reply);
    res.writeHead(status, { "content-type": "application/json", ...reply.headers });
    res.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const rootUrl = `http://127.0.0.1:${port}`;

  return {
    port,
    rootUrl,
    openaiBaseUrl: `${rootUrl}/v1`,
    requests,
    batches: batches.state,
    fineTuning: fineTuning.state,
    enqueue: (...scripts) => queue.push(...scripts),
    setAnswerer: (a) => {
      answer = a;
    },
    setResponder: (r) => {
      responder = r;
    },
    reset: () => {
      queue.length = 0;
      responder = undefined;
      requests.length = 0;
      batches.state.reset();
      fineTuning.state.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * A success reply to a streaming request, as server-sent events: `streamChunkMs` apart, and cut
 * (socket destroyed) after `failAfterChunks` frames when set. Stops quietly when the client goes away.
 */
async function streamed(res: ServerResponse, req: RecordedRequest, reply: Reply): Promise<void> {
  const provider = req.provider === "unknown" ? "openai" : req.provider;
  const options = isRecord(req.body) && isRecord(req.body.stream_options) ? req.body.stream_options : {};
  const frames = sseFrames(provider, reply.body, options.include_usage === true);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers });
  for (const [i, frame] of frames.entries()) {
    if (res.destroyed) return;
    if (reply.failAfterChunks !== undefined && i >= reply.failAfterChunks) {
      // Let the frames already written reach the client first: the cut comes mid-answer.
      await new Promise((r) => setTimeout(r, 30));
      res.socket?.destroy();
      return;
    }
    await new Promise((r) => res.write(frame, r));
    if (reply.streamChunkMs) await new Promise((r) => setTimeout(r, reply.streamChunkMs));
  }
  if (!res.destroyed) res.end();
}

/** Promises the whole body in content-length, sends part of it, then drops the connection. */
function truncated(res: ServerResponse, status: number, payload: string, reply: Reply): void {
  const bytes = Buffer.from(payload, "utf8");
  const sent = Math.floor(bytes.length * Math.min(1, Math.max(0, reply.truncateAt ?? 0)));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(bytes.length),
    ...reply.headers,
  });
  res.write(bytes.subarray(0, sent), () => {
    res.socket?.destroy();
  });
}

/** The body in `dripChunks` pieces, `dripMs` apart; stops quietly when the client goes away. */
async function drip(res: ServerResponse, status: number, payload: string, reply: Reply): Promise<void> {
  const bytes = Buffer.from(payload, "utf8");
  const n = Math.max(1, reply.dripChunks ?? 1);
  const size = Math.ceil(bytes.length / n);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(bytes.length),
    ...reply.headers,
  });
  for (let at = 0; at < bytes.length; at += size) {
    if (res.destroyed) return;
    res.write(bytes.subarray(at, at + size));
    await new Promise((r) => setTimeout(r, reply.dripMs ?? 0));
  }
  if (!res.destroyed) res.end();
}

function defaultReply(req: RecordedRequest, answer: Answerer): Reply {
  const pathname = req.path.split("?")[0] ?? req.path;
  const embedding = embeddingRoute(pathname, req.body);
  if (embedding) return embeddingReply(embedding, pathname, req.body);
  if (req.provider === "unknown") {
    return { status: 404, body: { error: { message: `fake provider: no route for ${req.method} ${req.path}` } } };
  }
  const lastUser = lastUserText(req.provider, req.body);
  const text = answer.text(lastUser, req);
  return { body: replyFor(req.provider, { text, usage: answer.usage(lastUser, text, req), model: req.model }) };
}

function route(path: string, body: unknown): Pick<RecordedRequest, "provider" | "model" | "kind" | "stream"> {
  const bodyModel = isRecord(body) && typeof body.model === "string" ? body.model : undefined;
  const stream = isRecord(body) && body.stream === true;
  const pathname = path.split("?")[0] ?? path;
  if (pathname === "/v1/chat/completions") return { provider: "openai", model: bodyModel, stream };
  if (pathname === "/v1/messages") return { provider: "anthropic", model: bodyModel, stream };
  const gemini = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(pathname);
  if (gemini)
    return { provider: "google", model: decodeURIComponent(gemini[1]!), stream: gemini[2] === "streamGenerateContent" };
  const embedding = embeddingRoute(pathname, body);
  if (embedding) return { ...embedding, kind: "embedding" as const, stream: false };
  return { provider: "unknown", model: bodyModel, stream: false };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
