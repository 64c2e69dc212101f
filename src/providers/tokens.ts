import { createRequire } from "node:module";
import type { ChatMessage } from "../core/types.ts";

// Token counts for the sim's usage and for estimating usage of recorded outcomes that carry none.
// Encoding: o200k_base, the tokenizer of gpt-4o, gpt-4.1, the o-series and gpt-5, i.e. of the
// models routegate's price table is mostly about. Other families (Claude, Gemini, Llama) tokenize
// differently, typically within +-15%; counts for them are estimates, which is why replay marks
// tokenizer-derived usage `usageEstimated`.

type Encoding = typeof import("gpt-tokenizer/encoding/o200k_base");
let encoding: Encoding | undefined;

/**
 * The tokenizer, loaded on first use: building its tables takes about half a second, which a
 * command that counts no tokens (`--help`, a run served from the store) should not pay.
 */
function tokenizer(): Encoding {
  encoding ??= createRequire(import.meta.url)("gpt-tokenizer/encoding/o200k_base") as Encoding;
  return encoding;
}

/** Special-token text in user content (`<|endoftext|>`) is counted as plain text, never rejected. */
const PLAIN = { disallowedSpecial: new Set<string>() };

/**
 * Chat framing per OpenAI's counting recipe for current models: every message costs 3 tokens of
 * framing plus its role name (1 token), and the reply is primed with 3 more.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_REPLY_PRIMING = 3;

const MAX_MEMO = 4096;
const memo = new Map<string, number>();
let encodes = 0;

/**
 * Tokens in `text` (o200k_base). Memoised in a bounded map: a run renders the same system prompt
 * thousands of times. The oldest entry is evicted first; a hit refreshes its entry.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const hit = memo.get(text);
  if (hit !== undefined) {
    memo.delete(text);
    memo.set(text, hit);
    return hit;
  }
  encodes++;
  const n = tokenizer().encode(text, PLAIN).length;
  if (memo.size >= MAX_MEMO) memo.delete(memo.keys().next().value as string);
  memo.set(text, n);
  return n;
}

/** Tokens of the messages alone, with their per-message framing (no reply priming). */
export function countMessagesTokens(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) n += TOKENS_PER_MESSAGE + countTokens(m.role) + countTokens(m.content);
  return n;
}

/** Input tokens of a chat request: messages with framing plus the reply priming. */
export function countChatTokens(messages: readonly ChatMessage[]): number {
  return countMessagesTokens(messages) + TOKENS_REPLY_PRIMING;
}

/** The first `maxTokens` tokens of `text` (what a provider returns when it stops at max_tokens). */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return "";
  if (countTokens(text) <= maxTokens) return text;
  const { decode, encode } = tokenizer();
  return decode(encode(text, PLAIN).slice(0, maxTokens));
}

/** For tests: how many times countTokens ran the tokenizer (a memo hit does not). */
export function tokenEncodeCount(): number {
  return encodes;
}

/** For tests: how many strings the memo holds. */
export function tokenMemoSize(): number {
  return memo.size;
}
