import type { CallResult, ChatRequest, Item, ModelId } from "../../core/types.ts";
import type { RouterContext } from "../router.ts";

/** What a confidence source sees: one stage's answer and the door to further (charged) calls. */
export interface ConfidenceInput {
  item: Item;
  /** The request the answer was made for (the item's answer request). */
  request: ChatRequest;
  /** The answering model and its answer. */
  model: ModelId;
  answer: CallResult;
  /** Further calls (another model's answer, an LLM verifier) go through here and are charged. */
  ctx: RouterContext;
}

/**
 * One pluggable signal of whether an answer is right: a confidence in [0, 1], or null when the
 * source cannot tell for this answer (no logprobs reported, no arithmetic to re-check).
 */
export interface ConfidenceSource {
  /** Names the signal in scores and decision logs. */
  readonly name: string;
  confidence(input: ConfidenceInput): number | null | Promise<number | null>;
}

/** A verifier written as code: true (passes), false (fails) or null (does not apply). */
export type CodeVerifier = (output: string, item: Item) => boolean | null;
