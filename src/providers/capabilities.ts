import type { ProviderName } from "../contracts/model-spec.ts";
import type { ChatRequest } from "../core/types.ts";

// What each provider can honour of a request beyond plain chat. The gateway asks before it calls:
// a client that needs JSON mode gets a clear 400 rather than prose from a model that has none.

export interface Unsupported {
  /** The OpenAI request parameter at fault. */
  param: string;
  message: string;
}

interface Capabilities {
  tools: boolean;
  jsonMode: boolean;
  jsonSchema: boolean;
}

const CAPABILITIES: Record<ProviderName, Capabilities> = {
  openai: { tools: true, jsonMode: true, jsonSchema: true },
  // vLLM serves tools and guided JSON when started for them; a server that was not answers 400 itself.
  vllm: { tools: true, jsonMode: true, jsonSchema: true },
  anthropic: { tools: true, jsonMode: false, jsonSchema: false },
  google: { tools: true, jsonMode: true, jsonSchema: true },
  sim: { tools: false, jsonMode: true, jsonSchema: false },
  replay: { tools: false, jsonMode: true, jsonSchema: false },
  // An in-process embedder: it answers no chat request at all.
  local: { tools: false, jsonMode: false, jsonSchema: false },
};

/** Undefined when `provider` can honour `request`, else what it cannot. */
export function unsupportedBy(provider: ProviderName, request: ChatRequest): Unsupported | undefined {
  const c = CAPABILITIES[provider];
  if (!c.tools && (request.tools?.length || request.messages.some((m) => m.role === "tool" || m.toolCalls?.length)))
    return { param: "tools", message: `${provider} models cannot call tools` };
  if (request.jsonSchema && !c.jsonSchema)
    return { param: "response_format", message: `${provider} models have no JSON Schema response format` };
  if (request.responseFormat === "json" && !c.jsonMode)
    return { param: "response_format", message: `${provider} models have no JSON mode` };
  return undefined;
}
