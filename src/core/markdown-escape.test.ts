import { describe, expect, it } from "vitest";
import { HOSTILE, plainReading, renderGfm, tagSkeleton, visibleText } from "../../test/report/gfm.ts";
import { escapeMarkdown, markdownCode } from "./markdown-escape.ts";

// Each hostile value is placed where report.md and the PR comment put values (a paragraph, a list
// item, a table cell, a heading, inline code) and rendered as GitHub would: it must read as exactly
// its own text, and the document around it must keep the shape it has with a harmless value.
const CONTEXTS: ReadonlyArray<(v: string) => string> = [
  (v) => `**Verdict: BLOCKED**\n\nRun ${v} on the items.`,
  (v) => `- ${v}\n- next`,
  (v) => `| policy | quality |\n|---|---|\n| ${v} | 0.9 |\n| other | 0.8 |`,
  (v) => `# routegate: ${v}`,
  (v) => `- model · ${v} (answer): error`,
];

const noWordJoiner = (s: string) => s.replaceAll("\u2060", "");

describe("escapeMarkdown", () => {
  it("has a corpus of at least 40 hostile values", () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
  });

  for (const [c, context] of CONTEXTS.entries()) {
    it(`keeps every hostile value plain text in context ${c}`, () => {
      const reference = tagSkeleton(renderGfm(context("harmless")));
      for (const value of HOSTILE) {
        const html = renderGfm(context(escapeMarkdown(value)));
        expect(tagSkeleton(html), JSON.stringify(value)).toEqual(reference);
        expect(html).not.toMatch(/<(a|img|script|h[1-6] |em|strong>(?!Verdict: BLOCKED)|del|details|summary)\b/);
      }
    });
  }

  it("reads as the value itself, on one line", () => {
    for (const value of HOSTILE) {
      const escaped = escapeMarkdown(value);
      expect(escaped, JSON.stringify(value)).not.toMatch(/[\r\n\u2028\u2029]/);
      const seen = noWordJoiner(visibleText(renderGfm(`Run ${escaped}.`))).trim();
      expect(seen, JSON.stringify(value)).toBe(`Run ${plainReading(value)}.`);
    }
  });

  it("leaves ordinary ids readable in the raw Markdown", () => {
    expect(escapeMarkdown("always:gpt-4o-mini")).toBe("always:gpt-4o-mini");
    expect(escapeMarkdown("sim:flagship-2026")).toBe("sim:flagship-2026");
    expect(escapeMarkdown("quality (feature billing)")).toBe("quality (feature billing)");
    expect(escapeMarkdown("0.0%")).toBe("0.0%");
    expect(escapeMarkdown("-0.02 pts")).toBe("-0.02 pts");
    expect(escapeMarkdown("1. first")).toBe("1\\. first");
  });

  it("makes inline code that a backtick or a closing tag cannot end", () => {
    for (const value of ["a`b", "</code><img src=x>", "x\n# y"]) {
      const html = renderGfm(`Baseline ${markdownCode(value)} here.`);
      expect(tagSkeleton(html)).toEqual(["<p>", "<code>", "</code>", "</p>"]);
      expect(visibleText(html)).toBe(`Baseline ${plainReading(value)} here.`);
    }
  });
});
