import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, routegate, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

describe("what users expect of a CLI", () => {
  // The real binary once (bin/routegate.mjs reads the version); the rest runs in-process.
  it("--version prints the package's version", () => {
    const r = routegate(["--version"], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  it("no command prints the help and exits 0", async () => {
    const r = await runCli([], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^routegate <command> \[options\]/);
    for (const command of ["init", "eval", "export", "compare", "plan"])
      expect(r.stdout).toContain(`routegate ${command}`);
  });

  it.each([
    ["evl", "eval"],
    ["exprot", "export"],
    ["int", "init"],
  ])("an unknown command %s suggests %s, exit 2", async (typed, meant) => {
    const r = await runCli([typed], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown command "${typed}". Fix: did you mean \`routegate ${meant}\`?`);
  });

  it("a command like none of them says so and points at the help, exit 2", async () => {
    const r = await runCli(["deploy", "now"], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "deploy". Fix: `routegate --help` lists the commands');
  });

  it("a command's --help runs nothing", async () => {
    const dir = tempDir();
    const r = await runCli(["eval", "--help"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--gate-base");
    expect(r.stderr).toBe("");
  });
});
