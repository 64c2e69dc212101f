import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Issue 14, item 4: the README is read first, on a narrow screen; a table cell the length of a
// paragraph belongs in docs/ (the router details live in docs/routers.md), with a link left behind.

const README = fileURLToPath(new URL("../../README.md", import.meta.url));
const MAX_CELL = 160;

describe("README tables", () => {
  it(`have no cell longer than ${MAX_CELL} characters`, () => {
    const long: string[] = [];
    readFileSync(README, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.startsWith("|")) return;
        for (const cell of line.replace(/\\\|/g, "  ").slice(1, -1).split("|"))
          if (cell.trim().length > MAX_CELL) long.push(`README.md:${i + 1}: ${cell.trim().slice(0, 60)}...`);
      });
    expect(long).toEqual([]);
  });
});
