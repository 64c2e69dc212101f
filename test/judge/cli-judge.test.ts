import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../e2e/cli.ts";
import { runCli } from "../e2e/cli-in-process.ts";
import { onlyRun } from "../e2e/eval-json.ts";

// `routegate eval --dataset ... --models ... --judge SPEC [--judge-mode ...]`: ad-hoc judged runs.

describe("routegate eval --judge", () => {
  const dir = tempDir("rg-judge-cli-");
  const base = ["eval", "--store", join(dir, "store.sqlite"), "--reports", join(dir, "reports"), "--json", "--quiet"];

  it("scores an ad-hoc run with a pairwise judge and writes the judge section", async () => {
    const r = await runCli(
      [...base, "--dataset", "datasets/support-answers/items.jsonl", "--models", "sim:cheap,sim:flagship"].concat([
        "--judge",
        "sim:mid",
        "--judge-mode",
        "pairwise",
      ]),
      ROOT,
    );
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const s = onlyRun(r.stdout);
    expect(s.scorer).toBe("judge-pairwise(sim:mid)");
    expect(s.judge).toMatchObject({ model: "sim:mid", mode: "pairwise", kappaVsExact: null });
    expect(s.judge!.calls).toBeGreaterThan(0);
  });

  it("uses --scorer as the exact check the judge is compared with", async () => {
    const r = await runCli(
      [...base, "--dataset", "datasets/math/items.jsonl", "--models", "sim:cheap,sim:flagship"].concat([
        "--scorer",
        "numeric",
        "--judge",
        "sim:mid",
        "--judge-mode",
        "reference",
      ]),
      ROOT,
    );
    expect(r.code).toBe(0);
    const s = onlyRun(r.stdout);
    expect(s.judge!.mode).toBe("reference");
    expect(s.judge!.kappaVsExact!).toBeGreaterThan(0.3);
  });

  it("refuses what cannot work, naming the fix (exit 2)", async () => {
    const simOnNumbers = await runCli(
      [...base, "--dataset", "datasets/math/items.jsonl", "--models", "sim:cheap"].concat([
        "--judge",
        "sim:mid",
        "--judge-mode",
        "pairwise",
      ]),
      ROOT,
    );
    expect(simOnNumbers.code).toBe(2);
    expect(simOnNumbers.stderr).toMatch(/cannot compare answers with a numeric reference.*judge-reference/s);
    const modeAlone = await runCli(
      [...base, "--dataset", "x.jsonl", "--models", "sim:cheap", "--scorer", "exact", "--judge-mode", "rubric"],
      ROOT,
    );
    expect(modeAlone.code).toBe(2);
    expect(modeAlone.stderr).toMatch(/--judge-mode needs --judge/);
    const badJudge = await runCli(
      [...base, "--dataset", "datasets/support-answers/items.jsonl", "--models", "sim:cheap", "--judge", "gpt-4o"],
      ROOT,
    );
    expect(badJudge.code).toBe(2);
    expect(badJudge.stderr).toMatch(/scorer\.judge/);
  });
});
