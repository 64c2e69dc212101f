import { describe, expect, it } from "vitest";
import { tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// Command-line mistakes end as bad input (exit 2) naming the flag, never as an internal error.

describe("flags given twice", () => {
  it("a single-value flag given twice is refused by name (it used to reach the handler as an array)", async () => {
    const run = await runCli(["eval", "triage", "--store", "a.sqlite", "--store", "b.sqlite"], tempDir());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--store was given 2 times");
    expect(run.stderr).not.toContain("internal error");
  });

  it("a kebab-case flag is named as typed", async () => {
    const run = await runCli(["eval", "--non-inferior-to", "a", "--non-inferior-to", "b"], tempDir());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--non-inferior-to was given 2 times");
  });

  it("a repeatable flag may repeat", async () => {
    const args = ["eval", "--dataset", "missing.jsonl", "--models", "sim:a", "--scorer", "numeric"];
    const run = await runCli([...args, "--scorer-option", "a=1", "--scorer-option", "b=2"], tempDir());
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("given 2 times");
    expect(run.stderr).toContain("cannot read the dataset");
  });
});

describe("an unknown flag spelt like a command", () => {
  it("is reported as an unknown argument, not as an unknown command", async () => {
    const run = await runCli(["eval", "--eval", "triage"], tempDir());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown argument: eval");
    expect(run.stderr).not.toContain('unknown command "eval"');
  });
});
