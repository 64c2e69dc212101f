import { InputError } from "../../core/errors.ts";
import type { ChatRequest, Item } from "../../core/types.ts";
import { itemLocation } from "../../datasets/item-source.ts";

// The texts a judge sees besides the answers: the question and the reference answer.

/** The question as the user wrote it: the item's text input, else the last user turn the model saw. */
export function questionOf(item: Item, request: ChatRequest | undefined): string {
  if (typeof item.input === "string") return item.input;
  const lastUser = request?.messages.filter((m) => m.role === "user").at(-1)?.content;
  return lastUser ?? JSON.stringify(item.input);
}

/**
 * The item's known answer (`expected`) as reference text: strings as they are, numbers and
 * booleans as written, objects as JSON. A missing one is bad input (exit 2), never a silent 0.
 */
export function referenceOf(item: Item, scorer: string): string {
  const e = item.expected;
  if (typeof e === "string" && e.trim() !== "") return e;
  if (typeof e === "number" || typeof e === "boolean") return String(e);
  if (e !== undefined && e !== null && typeof e === "object") return JSON.stringify(e, null, 2);
  const at = itemLocation(item, "expected");
  throw new InputError(
    at.file,
    at.field,
    `the item has no reference answer (scorer "${scorer}" shows expected to the judge)`,
    'give expected as the reference answer text, or grade without a reference (type "judge-rubric")',
  );
}
