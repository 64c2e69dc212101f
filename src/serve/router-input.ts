import type { ChatMessage, Item } from "../core/types.ts";

// Evaluation scores an item's input before templating; the gateway receives rendered messages.
// Each route says how its router input is taken from a request: the last user message by default,
// or an extractor the host registers by name (--routers FILE exporting `extractors`), e.g. one
// that strips the eval's template back off so decisions match the evaluation's exactly.

export interface ExtractorInput {
  messages: readonly ChatMessage[];
  metadata: Readonly<Record<string, string>>;
}

/** What the router scores for a request: the item's `input`, and its metadata. */
export type RouterInputExtractor = (request: ExtractorInput) => {
  input: Item["input"];
  metadata?: Record<string, unknown>;
};

const lastOf = (messages: readonly ChatMessage[], role: ChatMessage["role"]) =>
  [...messages].reverse().find((m) => m.role === role)?.content ?? "";

export const BUILTIN_EXTRACTORS: Readonly<Record<string, RouterInputExtractor>> = {
  "last-user": ({ messages, metadata }) => ({ input: lastOf(messages, "user"), metadata: { ...metadata } }),
  "all-user": ({ messages, metadata }) => ({
    input: messages
      .filter((m) => m.role === "user")
      .map((m) => m.content)
      .join("\n"),
    metadata: { ...metadata },
  }),
};

export const DEFAULT_EXTRACTOR = "last-user";
