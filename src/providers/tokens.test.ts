import { describe, expect, it } from "vitest";
import {
  countChatTokens,
  countMessagesTokens,
  countTokens,
  TOKENS_PER_MESSAGE,
  TOKENS_REPLY_PRIMING,
  tokenEncodeCount,
  tokenMemoSize,
  truncateToTokens,
} from "./tokens.ts";

describe("tokens (o200k_base)", () => {
  it("counts with the o200k encoding", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("hello world")).toBe(2);
    // o200k packs long numbers in 3-digit tokens.
    expect(countTokens("123456789")).toBe(3);
    expect(countTokens("The quick brown fox jumps over the lazy dog.")).toBe(10);
  });

  it("counts special-token text as plain text instead of throwing", () => {
    expect(countTokens("a <|endoftext|> b")).toBeGreaterThan(3);
  });

  it("adds per-message framing and reply priming", () => {
    const messages = [
      { role: "system" as const, content: "You are terse." },
      { role: "user" as const, content: "hello world" },
    ];
    const content = countTokens("You are terse.") + countTokens("hello world");
    expect(countMessagesTokens(messages)).toBe(content + 2 * (TOKENS_PER_MESSAGE + 1));
    expect(countChatTokens(messages)).toBe(content + 2 * (TOKENS_PER_MESSAGE + 1) + TOKENS_REPLY_PRIMING);
    expect(countChatTokens([])).toBe(TOKENS_REPLY_PRIMING);
  });

  it("memoises repeated strings in a bounded map", () => {
    const long = "The stable system prompt. ".repeat(500);
    const first = countTokens(long);
    // A hit must not encode again: count the tokenizer's runs instead of timing them.
    const encodesBefore = tokenEncodeCount();
    for (let i = 0; i < 2000; i++) expect(countTokens(long)).toBe(first);
    expect(tokenEncodeCount()).toBe(encodesBefore);
    for (let i = 0; i < 5000; i++) countTokens(`distinct string ${i}`);
    expect(tokenMemoSize()).toBeLessThanOrEqual(4096);
  });

  it("truncates to a token budget", () => {
    const text = "one two three four five six seven eight";
    expect(truncateToTokens(text, 3)).toBe("one two three");
    expect(countTokens(truncateToTokens(text, 5))).toBe(5);
    expect(truncateToTokens(text, 100)).toBe(text);
    expect(truncateToTokens(text, 0)).toBe("");
  });
});
