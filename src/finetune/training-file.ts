import { createHash } from "node:crypto";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { parseJsonlLines, readTextFile } from "../datasets/jsonl.ts";
import { countMessagesTokens } from "../providers/tokens.ts";
import { MIN_EXAMPLES } from "./formats.ts";

// An OpenAI chat fine-tuning file as `finetune submit` checks it before paying for an upload:
// every line a conversation that ends with the assistant turn to learn.

const Message = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
const OpenAILine = z.looseObject({
  messages: z
    .array(Message)
    .min(2)
    .refine((m) => m[m.length - 1]?.role === "assistant", "the last message must be the assistant's answer"),
});

export interface TrainingFile {
  path: string;
  bytes: Buffer;
  sha256: string;
  examples: number;
  /** Tokens of all examples, as `distill` counts them: the basis of the cost estimate. */
  tokens: number;
}

export function readTrainingFile(path: string): TrainingFile {
  const text = readTextFile(path, "the training file");
  const lines = parseJsonlLines(
    text,
    path,
    OpenAILine,
    'each line is {"messages": [{"role": "system"|"user"|"assistant", "content"}, ...]} ending with the assistant turn (write it with `routegate distill --format openai`)',
  );
  if (lines.length < MIN_EXAMPLES.openai)
    throw new InputError(
      path,
      undefined,
      `${lines.length} examples; OpenAI fine-tuning needs at least ${MIN_EXAMPLES.openai}`,
      "distill more training items (raise split.trainFraction or add items)",
    );
  const bytes = Buffer.from(text, "utf8");
  return {
    path,
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    examples: lines.length,
    tokens: lines.reduce((n, l) => n + countMessagesTokens(l.value.messages), 0),
  };
}
