import type OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { replyCutError } from "../hosted/errors.ts";
import { type JsonPost, type JsonPostReply, replyHeaders, transportTimedOut } from "../hosted/json-post.ts";

// A non-streamed Chat Completions call over a plain HTTP transport (hosted/json-post.ts) instead
// of the SDK's fetch: the same body (openaiChatBody), the SDK client's own key, base URL and
// account headers, the reply read as the SDK reads it (JSON by content type), and failures raised
// as the SDK's own error classes, so mapStainlessError classifies them exactly as on the SDK path.
// A redirect answers `VIA_SDK`: the SDK's fetch follows it, as it always did.

type Sdk = typeof import("openai");

export const VIA_SDK = Symbol("via the SDK");

/** What the SDK would send beside the body, for this client; undefined when it cannot be known here. */
function headersOf(client: OpenAI): Record<string, string> | undefined {
  if (typeof client.apiKey !== "string") return undefined; // a key setter: the SDK resolves it per call
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    authorization: `Bearer ${client.apiKey}`,
  };
  if (client.organization) headers["openai-organization"] = client.organization;
  if (client.project) headers["openai-project"] = client.project;
  return headers;
}

const cache = new WeakMap<OpenAI, { url: string; headers: Record<string, string> } | null>();

function target(client: OpenAI) {
  let t = cache.get(client);
  if (t === undefined) {
    const headers = headersOf(client);
    t = headers ? { url: `${client.baseURL.replace(/\/+$/, "")}/chat/completions`, headers } : null;
    cache.set(client, t);
  }
  return t;
}

export async function postChatCompletion(
  post: JsonPost,
  loaded: Sdk,
  client: OpenAI,
  provider: string,
  body: ChatCompletionCreateParamsNonStreaming,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<unknown> {
  const to = target(client);
  if (!to) return VIA_SDK;
  let reply: JsonPostReply;
  try {
    reply = await post({ url: to.url, headers: to.headers, body: JSON.stringify(body), signal, timeoutMs });
  } catch (err) {
    throw beforeReply(loaded, err, signal);
  }
  if (reply.status >= 300 && reply.status < 400) {
    await reply.discard().catch(() => {});
    return VIA_SDK;
  }
  if (reply.status < 200 || reply.status >= 300) {
    // As the SDK: the body's JSON (its `error` object) or its text makes the message.
    const text = await reply.text().catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    const json = safeJson(text);
    throw loaded.APIError.generate(
      reply.status,
      json as object | undefined,
      json ? undefined : text,
      replyHeaders(reply),
    );
  }
  let text: string;
  try {
    text = await reply.text();
  } catch (err) {
    if (signal.aborted) throw err;
    throw transportTimedOut(err) ? new loaded.APIConnectionTimeoutError() : replyCutError(provider, err);
  }
  if (reply.status === 204) return null;
  const type = header(reply, "content-type")?.split(";")[0]?.trim();
  if (type?.includes("application/json") || type?.endsWith("+json")) {
    if (header(reply, "content-length") === "0") return undefined;
    return JSON.parse(text); // a SyntaxError is a bad_response, as on the SDK path
  }
  return text;
}

/** A failure before the reply's headers: an abort stays itself; the rest are the SDK's connection errors. */
function beforeReply(loaded: Sdk, err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return err;
  if (transportTimedOut(err)) return new loaded.APIConnectionTimeoutError();
  return new loaded.APIConnectionError({ cause: err instanceof Error ? err : new Error(String(err)) });
}

function header(reply: JsonPostReply, name: string): string | undefined {
  const v = reply.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
