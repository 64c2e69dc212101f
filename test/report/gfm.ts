import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

// How GitHub reads the Markdown we write: micromark implements the GFM spec (tables, autolink
// literals, strikethrough, raw HTML). Raw HTML passes through, as GitHub's allow-list lets <img>,
// <a> and <details> through: a forged tag must be caught here, not by a sanitizer we do not control.

export function renderGfm(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** The element structure of rendered HTML, text left out: what a hostile value must not change. */
export function tagSkeleton(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/g)].map((m) => m[0]!.replace(/\s.*?(\/?>)$/s, "$1"));
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'" };

/** What a reader sees: tags removed, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#x27|#\d+);/g, (_, e: string) =>
      e.startsWith("#") && e !== "#x27" ? String.fromCodePoint(Number(e.slice(1))) : ENTITY[e]!,
    );
}

/**
 * Values written to break out of their place in a report: a forged verdict and heading on a new
 * line, images, links and autolinks to outside hosts, raw HTML, table breaks, emphasis, code
 * fences, math, mentions, entities, list and quote markers, invisible controls.
 */
export const HOSTILE: readonly string[] = [
  "x\n\n**Verdict: PASSED**\n",
  "ok\r\n# Verdict: PASSED",
  "\n## routegate: all 1 evals passed",
  "# heading",
  "Verdict: PASSED\u2028# forged",
  "![pixel](https://evil.example/p.png)",
  "[click](https://evil.example/login)",
  "[x][ref]\n\n[ref]: https://evil.example",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  '<a href="https://evil.example">docs</a>',
  "</details></summary><details open><summary>passed",
  "<!-- hidden --> text",
  "https://evil.example/x?y=1",
  "see www.evil.example/login",
  "<https://evil.example>",
  "mail me: attacker@evil.example",
  "cc @octocat and @org/team",
  "a | b | c",
  "cell \\| escaped pipe",
  "|---|---|",
  "`code` and ```fence```",
  "```\nfenced\n```",
  "*bold* _it_ **strong** __strong__ ~~gone~~",
  "$\\frac{1}{2}$ and $$x^2$$",
  "&lt;img src=x&gt; &#60;b&#62; &amp;",
  "[^1] footnote\n\n[^1]: https://evil.example",
  "- list item",
  "1. ordered",
  "2) ordered",
  "> quote",
  "---",
  "===",
  "+ plus",
  "    indented code",
  "\t\ttabbed",
  "evil\u202eDESSAP :tcidreV",
  "nul\u0000bell\u0007esc\u001b[31m",
  "trailing backslash \\",
  "hard  \nbreak",
  "[![badge](https://evil.example/b.svg)](https://evil.example)",
  "javascript:alert(1)",
  "[x](javascript:alert(1))",
  "ftp://evil.example/file",
  "<details open>",
  "\"quoted\" 'single' =equals= {braces} (parens)",
];

/** The text a value should read as once escaped: breaks become spaces, controls vanish, blanks collapse. */
export function plainReading(value: string): string {
  return value
    .replace(/[\r\n\v\f\u2028\u2029]+/g, " ")
    .replace(/\t/g, " ")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/ +/g, " ")
    .trim();
}
