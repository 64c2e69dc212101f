import { z } from "zod";
import type { ChatMessage, ChatRequest, ToolDefinition } from "../core/types.ts";
import { badRequest, GatewayError } from "./openai-errors.ts";

// The OpenAI Chat Completions request as the gateway accepts it, validated with zod and turned
// into routegate's ChatRequest. Fields a client commonly sends but that change nothing here
// (user, store, parallel_tool_calls, ...) are accepted and ignored; what the gateway cannot honour
// (n > 1, token logprobs, audio) is a 400 naming the parameter.

const TextPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const Content = z.union([z.string(), z.array(TextPart)]).nullish();

const ToolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function").optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const Message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: Content }),
  z.looseObject({ role: z.literal("developer"), content: Content }),
  z.looseObject({ role: z.literal("user"), content: Content }),
  z.looseObject({ role: z.literal("assistant"), content: Content, tool_calls: z.array(ToolCall).nullish() }),
  z.looseObject({ role: z.literal("tool"), content: Content, tool_call_id: z.string() }),
]);

const Tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const ResponseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const ChatCompletionBody = z.looseObject({
  model: z.string().min(1),
  messages: z.array(Message).min(1, "messages must hold at least one message"),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  n: z.number().int().nullish(),
  logprobs: z.boolean().nullish(),
  response_format: ResponseFormat.nullish(),
  tools: z.array(Tool).nullish(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
    ])
    .nullish(),
  /** OpenAI's request metadata (string pairs): routers see it as the item's metadata. */
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type ChatCompletionBody = z.infer<typeof ChatCompletionBody>;

/** Parses a request body's JSON text; a 400 in OpenAI's format names the field at fault. */
export function parseChatBody(text: string): ChatCompletionBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON (${(err as Error).message})`);
  }
  const parsed = ChatCompletionBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.map(String).join(".") || null;
    throw badRequest(`${param ?? "body"}: ${issue.message}`, param);
  }
  const body = parsed.data;
  if (body.n !== undefined && body.n !== null && body.n !== 1)
    throw badRequest("routegate answers one choice per request (n must be 1)", "n", "unsupported_parameter");
  if (body.logprobs) throw badRequest("routegate does not return token logprobs", "logprobs", "unsupported_parameter");
  for (const key of ["audio", "modalities", "prediction", "functions", "function_call"])
    if (key in body && body[key] !== null && body[key] !== undefined)
      throw badRequest(`routegate does not support "${key}"`, key, "unsupported_parameter");
  return body;
}

function text(content: z.infer<typeof Content>): string {
  if (content === null || content === undefined) return "";
  return typeof content === "string" ? content : content.map((p) => p.text).join("");
}

/** The ChatRequest the router and the upstream see; `maxTokens` defaults to the route's cap. */
export function toChatRequest(body: ChatCompletionBody, defaultMaxTokens: number): ChatRequest {
  const messages: ChatMessage[] = body.messages.map((m) => {
    if (m.role === "tool") return { role: "tool", content: text(m.content), toolCallId: m.tool_call_id };
    if (m.role === "assistant" && m.tool_calls?.length)
      return {
        role: "assistant",
        content: text(m.content),
        toolCalls: m.tool_calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })),
      };
    // OpenAI's "developer" role is its newer name for system instructions.
    return { role: m.role === "developer" ? "system" : m.role, content: text(m.content) };
  });
  const request: ChatRequest = {
    messages,
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? defaultMaxTokens,
  };
  if (body.temperature !== undefined && body.temperature !== null) request.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) request.topP = body.top_p;
  if (body.seed !== undefined && body.seed !== null) request.seed = body.seed;
  if (body.stop) request.stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  const format = body.response_format;
  if (format && format.type !== "text") {
    request.responseFormat = "json";
    if (format.type === "json_schema")
      request.jsonSchema = {
        name: format.json_schema.name,
        schema: format.json_schema.schema ?? {},
        ...(typeof format.json_schema.strict === "boolean" ? { strict: format.json_schema.strict } : {}),
      };
  }
  if (body.tools?.length) request.tools = body.tools.map(toolOf);
  const choice = body.tool_choice;
  if (choice) request.toolChoice = typeof choice === "string" ? choice : { name: choice.function.name };
  // The leading system messages are the stable prefix: providers with prompt caching cache them.
  const prefix = messages.findIndex((m) => m.role !== "system");
  if (prefix > 0) request.cache = { prefixMessages: prefix };
  return request;
}

function toolOf(t: z.infer<typeof Tool>): ToolDefinition {
  const f = t.function;
  return {
    name: f.name,
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(f.parameters !== undefined ? { parameters: f.parameters } : {}),
    ...(typeof f.strict === "boolean" ? { strict: f.strict } : {}),
  };
}

/** `routegate/<route>` -> the route name; anything else is an unknown model (404). */
export function routeNameOf(model: string, routes: readonly string[]): string {
  const name = model.startsWith("routegate/") ? model.slice("routegate/".length) : undefined;
  if (name !== undefined && routes.includes(name)) return name;
  throw new GatewayError(
    404,
    `The model \`${model}\` does not exist: this gateway serves ${routes.map((r) => `routegate/${r}`).join(", ")}`,
    "invalid_request_error",
    "model_not_found",
    "model",
  );
}
