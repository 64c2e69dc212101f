import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { VERDICT_SOURCES } from "../../src/gate/verdict-sources.ts";

// The CODEOWNERS template must cover what `--gate-base` flags as gate code, the lockfile and CI:
// a path flagged for review that no code owner must approve would be a flag nobody has to read.

const owned = (file: string) =>
  readFileSync(fileURLToPath(new URL(file, import.meta.url)), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.trimStart().startsWith("#"))
    .map((l) => l.trim().split(/\s+/));

/** CODEOWNERS patterns used here: "/dir/" covers everything below, "/file" the file itself. */
const covers = (pattern: string, path: string) =>
  pattern.endsWith("/") ? `/${path}/`.startsWith(pattern) || `/${path}`.startsWith(pattern) : pattern === `/${path}`;

describe("CODEOWNERS templates", () => {
  it("routegate's own covers every verdict source, the lockfile, patches and .github/", () => {
    const rules = owned("../../.github/CODEOWNERS");
    expect(rules.every((r) => r.length >= 2 && r[1]!.startsWith("@"))).toBe(true);
    for (const path of [...VERDICT_SOURCES, "package-lock.json", "patches", ".github/workflows/eval.yml"])
      expect(
        rules.some(([p]) => covers(p!, path)),
        path,
      ).toBe(true);
  });

  it("the users' template covers the baseline, evals, datasets, the lockfile, patches and .github/", () => {
    const rules = owned("../../docs/CODEOWNERS.user-template");
    for (const path of ["routing.config.json", "evals", "datasets", "package-lock.json", "patches", ".github"])
      expect(
        rules.some(([p]) => covers(p!, path)),
        path,
      ).toBe(true);
  });
});
