import { loadHandlebars } from "../core/lazy-modules.ts";
import type { ChatMessage, ChatRequest, Item } from "../core/types.ts";
import { readTextFile } from "./jsonl.ts";

export interface PromptTemplates {
  system?: string;
  user: string;
}

export interface RequestDefaults {
  maxTokens: number;
  temperature?: number;
  responseFormat?: "text" | "json";
  cacheTtl?: "5m" | "1h";
}

/**
 * Renders each item's answer request: the stable system part first (a cache breakpoint sits after
 * it), the per-item part last. Without templates the item's input is the user message.
 */
export function createPromptRenderer(templates: PromptTemplates | undefined, defaults: RequestDefaults) {
  const compile = (file: string) =>
    loadHandlebars().compile(readTextFile(file, "the prompt template"), { noEscape: true, strict: false });
  const system = templates?.system ? compile(templates.system) : undefined;
  const user = templates ? compile(templates.user) : undefined;
  // The system part must not vary per item, or nothing can be cached; render it once.
  const systemText = system?.({});

  return (item: Item): ChatRequest => {
    // A request recorded from live traffic is sent verbatim: its hash is the one production sent.
    if (item.request) return { ...item.request, messages: item.request.messages.map((m) => ({ ...m })) };
    const vars = typeof item.input === "string" ? { input: item.input } : { ...item.input, input: item.input };
    const userText = user ? user({ ...vars, metadata: item.metadata ?? {} }) : toText(item.input);
    const messages: ChatMessage[] = [];
    if (systemText) messages.push({ role: "system", content: systemText });
    messages.push({ role: "user", content: userText });
    return {
      messages,
      maxTokens: defaults.maxTokens,
      ...(defaults.temperature !== undefined ? { temperature: defaults.temperature } : {}),
      ...(defaults.responseFormat ? { responseFormat: defaults.responseFormat } : {}),
      ...(systemText ? { cache: { prefixMessages: 1, ...(defaults.cacheTtl ? { ttl: defaults.cacheTtl } : {}) } } : {}),
    };
  };
}

function toText(input: Item["input"]): string {
  return typeof input === "string" ? input : JSON.stringify(input);
}
