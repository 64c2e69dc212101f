import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The docs cite code, tests and each other by path and heading. Files move and headings get
// reworded; this test makes such a change fail here instead of leaving a dead link behind.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCS = join(ROOT, "docs");
const docFiles = readdirSync(DOCS)
  .filter((f) => f.endsWith(".md"))
  .sort()
  .map((f) => join(DOCS, f));

/** Markdown without fenced code blocks and inline code: links and headings there are examples, not links. */
function prose(markdown: string): string {
  // Blocks become blank lines of the same count, so reported line numbers stay right.
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ""))
    .replace(/`[^`\n]*`/g, "code");
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const slugs = new Set<string>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const m of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) slugs.add(m[1]!);
  return slugs;
}

interface Link {
  file: string;
  target: string;
  line: number;
}

function links(file: string): Link[] {
  const text = prose(readFileSync(file, "utf8"));
  const out: Link[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const line = text.slice(0, m.index).split("\n").length;
    out.push({ file, target: m[1]!, line });
  }
  return out;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);
const where = (l: Link) => `${relative(ROOT, l.file)}:${l.line} -> ${l.target}`;

describe("docs/*.md", () => {
  it("exist, and docs/README.md indexes every page", () => {
    expect(docFiles.length).toBeGreaterThan(1);
    const index = links(join(DOCS, "README.md")).map((l) => resolve(DOCS, l.target.split("#")[0]!));
    const missing = docFiles.filter((f) => !f.endsWith("README.md") && !index.includes(f));
    expect(missing.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("link only to files and folders that exist", () => {
    const dead = docFiles
      .flatMap(links)
      .filter((l) => !isExternal(l.target) && !l.target.startsWith("#"))
      .filter((l) => !existsSync(resolve(dirname(l.file), decodeURI(l.target.split("#")[0]!))))
      .map(where);
    expect(dead).toEqual([]);
  });

  it("link only to headings that exist", () => {
    const slugCache = new Map<string, Set<string>>();
    const slugsOf = (file: string) => {
      let s = slugCache.get(file);
      if (!s) {
        s = headingSlugs(readFileSync(file, "utf8"));
        slugCache.set(file, s);
      }
      return s;
    };
    const dead = docFiles
      .flatMap(links)
      .filter((l) => !isExternal(l.target) && l.target.includes("#"))
      .filter((l) => {
        const [path, anchor] = l.target.split("#") as [string, string];
        const file = path === "" ? l.file : resolve(dirname(l.file), decodeURI(path));
        if (!file.endsWith(".md") || !existsSync(file) || statSync(file).isDirectory()) return true;
        return !slugsOf(file).has(anchor);
      })
      .map(where);
    expect(dead).toEqual([]);
  });

  it("name only tests that exist: a quoted name after `](x.test.ts) ›` or a later `›` is a test in x", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of docFiles) {
      const text = prose(readFileSync(file, "utf8"));
      let testFile: string | null = null;
      for (const m of text.matchAll(/\]\(([^)\s]+\.test\.ts)\)|›\s*"([^"]+)"/g)) {
        if (m[1] !== undefined) {
          testFile = resolve(dirname(file), m[1]);
          continue;
        }
        const name = m[2]!;
        const line = text.slice(0, m.index).split("\n").length;
        checked++;
        const source = testFile && existsSync(testFile) ? readFileSync(testFile, "utf8") : "";
        if (!['"', "'", "`"].some((q) => source.includes(`${q}${name}${q}`)))
          missing.push(
            `${relative(ROOT, file)}:${line}: "${name}" in ${testFile ? relative(ROOT, testFile) : "(no test file linked before it)"}`,
          );
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});

describe("headingSlugs", () => {
  it("follows GitHub's anchors: punctuation dropped, spaces hyphenated, repeats numbered", () => {
    const slugs = headingSlugs(
      "# Cost per 1K requests\n## APGR\n## CPT(50/80/95) and `code`\n## APGR\n```\n# not a heading\n```\n",
    );
    expect([...slugs]).toEqual(["cost-per-1k-requests", "apgr", "cpt508095-and-code", "apgr-1"]);
  });
});
