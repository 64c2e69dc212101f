import { z } from "zod";
import type { ChatRequest } from "../../core/types.ts";
import { DATA_RULE, fenceData } from "../data-fence.ts";
import { parseJsonOutput } from "../json-output.ts";

// The classifier's prompt, built in code from a template string (no handlebars: production loads
// routers without it, and the item text must never be interpreted as template syntax).

/** Stable instructions: the system message, identical for every item, so providers can cache it. */
export const CLASSIFIER_INSTRUCTIONS = [
  "You estimate how hard a request is for a small, inexpensive language model to answer correctly.",
  "0 means trivial (a lookup or a one-step task); 1 means it needs careful multi-step reasoning, specialist knowledge or long, precise output.",
  DATA_RULE,
  'Reply with JSON only: {"complexity": <number between 0 and 1>}.',
].join("\n");

/**
 * The per-item message. `{{request}}` is replaced by the fenced item text, in one pass, so text
 * that itself contains "{{request}}" is not expanded again. The data block comes last.
 */
export const CLASSIFIER_TEMPLATE = "Rate the complexity of this request:\n\n{{request}}";

export function classifierRequest(
  text: string,
  opts: { instructions?: string; template?: string; maxTokens?: number } = {},
): ChatRequest {
  const template = opts.template ?? CLASSIFIER_TEMPLATE;
  if (!template.includes("{{request}}")) {
    throw new Error('classifier template: it must contain "{{request}}" where the item text goes');
  }
  const fenced = fenceData("request", text);
  return {
    messages: [
      { role: "system", content: opts.instructions ?? CLASSIFIER_INSTRUCTIONS },
      { role: "user", content: template.replace(/\{\{request\}\}/g, () => fenced) },
    ],
    maxTokens: opts.maxTokens ?? 20,
    temperature: 0,
    responseFormat: "json",
    cache: { prefixMessages: 1 },
  };
}

const Complexity = z.object({ complexity: z.number().min(0).max(1) });

/** The complexity in [0, 1], or null when the answer is not the JSON asked for. */
export function parseComplexity(output: string): number | null {
  const parsed = Complexity.safeParse(parseJsonOutput(output));
  return parsed.success ? parsed.data.complexity : null;
}
