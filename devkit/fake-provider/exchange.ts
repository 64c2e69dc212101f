import type { AnswerUsage, Reply, WireProvider } from "./wire.ts";

// What passes between a client and the fake server: the request as recorded, the scripts that
// answer it, and the reading of its last user turn.

/** One request as the server saw it. Headers are lower-cased; `body` is the parsed JSON (or the raw text). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  provider: WireProvider | "unknown";
  /** The model named by the path (Gemini) or the body (OpenAI, Anthropic). */
  model: string | undefined;
  /** "embedding" for the embedding endpoints (OpenAI /v1/embeddings, Gemini embedContent); absent for chat. */
  kind?: "embedding";
  /** A streaming request (`stream: true`, Gemini's streamGenerateContent): answered with server-sent events. */
  stream: boolean;
  /** What the server answered (absent while it hangs). */
  reply?: { status: number; body: unknown };
}

export type Script = Reply | ((req: RecordedRequest) => Reply);

/** A standing script: asked about every request the queue does not answer; undefined: the default answer. */
export type Responder = (req: RecordedRequest) => Reply | undefined;

/** How the server answers when no scripted reply is queued: a deterministic answer per request. */
export interface Answerer {
  /** The answer text for a request, keyed here by its last user message. */
  text(lastUser: string, req: RecordedRequest): string;
  /** The usage to report; cached tokens included. */
  usage(lastUser: string, text: string, req: RecordedRequest): AnswerUsage;
}

/** The text of the last user turn, in each wire format. */
export function lastUserText(provider: WireProvider, body: unknown): string {
  if (!isRecord(body)) return "";
  if (provider === "google") {
    const contents = Array.isArray(body.contents) ? body.contents : [];
    const last = [...contents].reverse().find((c) => isRecord(c) && c.role !== "model");
    const parts = isRecord(last) && Array.isArray(last.parts) ? last.parts : [];
    return parts.map((p) => (isRecord(p) && typeof p.text === "string" ? p.text : "")).join("");
  }
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => isRecord(m) && m.role === "user");
  if (!isRecord(last)) return "";
  if (typeof last.content === "string") return last.content;
  const blocks = Array.isArray(last.content) ? last.content : [];
  return blocks.map((b) => (isRecord(b) && typeof b.text === "string" ? b.text : "")).join("");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
