// The one escaping helper of every Markdown routegate writes (report.md, the pull-request comment,
// `routegate compare`, the cost plan). Values come from datasets, users' code and providers' error
// text: each must read as plain text inside one line, whatever it contains. GitHub renders the
// result (GFM: tables, autolinks, raw HTML, math), so this defends against GFM, not just CommonMark.

/** Line and paragraph breaks of every kind: a value never leaves the line it was put on. */
const BREAKS = /[\r\n\v\f\p{Zl}\p{Zp}]+/gu;
/** Other control and format characters, among them the bidirectional overrides that make text read backwards. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
/** Inline syntax anywhere in a line: emphasis, code, links and images, tables, strikethrough, math, escapes. */
const INLINE = /[\\`*_[\]!|~$]/g;
/**
 * Block syntax that only counts at the start of a line: a heading, a list item (bullet or
 * numbered) or a rule. Each needs a blank (or the end) after it, so "0.5" or "-x" stay as they are.
 */
const LEADING_MARKER = /^(?:#{1,6}(?=\s|$)|[+-](?=\s|$|-)|\d{1,9}[.)](?=\s|$))/;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
/** A word joiner: invisible, and it stops GitHub's @mentions and e-mail autolinks. */
const WORD_JOINER = "\u2060";

/**
 * `value` as plain Markdown text: no heading, list, quote, table cell break, emphasis, code, link,
 * image, autolink, @mention, HTML tag or entity can come out of it, and it stays on one line.
 * What a reader sees is the value itself, line breaks read as spaces and outer blanks trimmed
 * (escapes and entities render as the characters).
 */
export function escapeMarkdown(value: unknown): string {
  const text = String(value ?? "")
    .replace(BREAKS, " ")
    .replace(/\t/g, " ")
    .replace(INVISIBLE, "")
    // Runs of blanks (or leading ones) would make an indented code block after a list marker.
    .replace(/ +/g, " ")
    .trim();
  return (
    text
      .replace(/[&<>]/g, (c) => ENTITIES[c]!)
      .replace(INLINE, (c) => `\\${c}`)
      // GFM autolink literals: scheme URLs, www. hosts and e-mail addresses become links on their own.
      .replace(/:\/\//g, ":\\/\\/")
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`)
      .replace(/@(?=[\p{L}\p{N}])/gu, `@${WORD_JOINER}`)
      .replace(LEADING_MARKER, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`)
  );
}

/** `value` as inline code (monospace) that nothing in it can break out of. */
export function markdownCode(value: unknown): string {
  return `<code>${escapeMarkdown(value)}</code>`;
}
