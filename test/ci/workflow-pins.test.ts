import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Issue 10 item 8: CI holds provider keys and a token that can comment. A tag can be moved to
// other code by whoever controls the action's repository; a commit SHA cannot. Every workflow is
// read as text (no YAML parser is needed for these line-level rules).

const WORKFLOWS = fileURLToPath(new URL("../../.github/workflows/", import.meta.url));
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const text = (f: string) => readFileSync(join(WORKFLOWS, f), "utf8");

describe("GitHub workflows", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const lines = text(file).split("\n");

    it(`${file}: every action is pinned by a 40-hex commit SHA, with its tag in a comment`, () => {
      const uses = lines.filter((l) => /^\s*(-\s+)?uses:/.test(l));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) {
        const [, ref = "", rest = ""] = line.match(/uses:\s*(\S+)(.*)$/) ?? [];
        if (ref.startsWith("./")) continue; // an action in this repository moves with its commits
        expect(ref, line).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
        expect(rest, line).toMatch(/^\s+#\s*v\d+(\.\d+)*\s*$/);
      }
    });

    it(`${file}: grants nothing by default and no checkout keeps the token`, () => {
      expect(lines).toContain("permissions: {}");
      lines.forEach((line, i) => {
        if (!/uses:\s*actions\/checkout@/.test(line)) return;
        const indent = line.indexOf("uses:");
        const step: string[] = [];
        for (let j = i + 1; j < lines.length; j++) {
          const next = lines[j]!;
          const lead = next.search(/\S/);
          if (lead >= 0 && (lead < indent || next.trimStart().startsWith("- "))) break;
          step.push(next.trim());
        }
        expect(step, `checkout at line ${i + 1}`).toContain("persist-credentials: false");
      });
    });
  }

  it("eval.yml: write access only in the comment job, which runs the base branch's code", () => {
    const lines = text("eval.yml").split("\n");
    const jobStart = (name: string) => lines.indexOf(`  ${name}:`);
    const comment = jobStart("comment");
    expect(jobStart("eval")).toBeGreaterThan(0);
    expect(comment).toBeGreaterThan(jobStart("eval"));
    const writes = lines.flatMap((l, i) => (/:\s*write\b/.test(l) ? [i] : []));
    expect(writes.length).toBeGreaterThan(0);
    for (const i of writes) expect(i, lines[i]).toBeGreaterThan(comment);
    expect(lines.slice(comment).join("\n")).toMatch(/ref: \$\{\{ github\.event\.pull_request\.base\.sha \}\}/);
    // Only the comment mentions pull_request_target (to say it is never used); no trigger names it.
    expect(lines.filter((l) => !l.trimStart().startsWith("#")).join("\n")).not.toContain("pull_request_target");
  });
});
