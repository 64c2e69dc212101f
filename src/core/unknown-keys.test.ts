import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { EvalConfig } from "../config/define-eval.ts";
import { resolveEval } from "../config/load-eval.ts";
import { ScorerConfig } from "../scoring/scorer.ts";
import { InputError } from "./errors.ts";
import { keysAt, nearestName, reportedIssue } from "./unknown-keys.ts";

const base = { name: "t", dataset: "items.jsonl", models: ["sim:cheap"], scorer: "exact" };

function refusal(raw: unknown): InputError {
  try {
    resolveEval(raw, "evals/t.eval.ts", "/tmp");
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("accepted");
}

describe("a misspelt eval-file field (issue 14, item 2)", () => {
  it("is reported first, with the nearest valid name, not as its missing twin", () => {
    const { scorer: _, ...rest } = base;
    const err = refusal({ ...rest, scorers: "exact" });
    expect(err.where).toBe("field scorers");
    expect(err.message).toContain('unknown field "scorers" (did you mean "scorer"?)');
    expect(err.fix).toBe("rename it to scorer");
  });

  it("nested fields too (prompt.usr), and a name near nothing lists the valid ones", () => {
    expect(refusal({ ...base, prompt: { usr: "p.hbs" } }).message).toContain('did you mean "user"?');
    const far = refusal({ ...base, colour: "blue" });
    expect(far.message).toContain('unknown field "colour"');
    expect(far.message).not.toContain("did you mean");
    expect(far.fix).toMatch(/^remove it; the fields here are name, .*scorer/);
  });

  it("other problems still point to the field reference in docs/", () => {
    expect(refusal({ ...base, name: 3 }).fix).toContain("docs/eval-file.md#fields");
  });
});

describe("nearestName and keysAt", () => {
  it("take a typo, not another word", () => {
    expect(nearestName("modles", ["models", "routers"])).toBe("models");
    expect(nearestName("Weak", ["weak", "strong"])).toBe("weak");
    expect(nearestName("budget", ["models", "routers"])).toBeUndefined();
  });

  it("find the keys through optional, array and union wrappers", () => {
    expect(keysAt(EvalConfig, ["gates", 0])).toEqual(expect.arrayContaining(["policy", "minQuality"]));
    expect(keysAt(ScorerConfig, [])).toEqual(expect.arrayContaining(["labels", "routellmCompat", "pattern"]));
  });

  it("a scorer option misspelt", () => {
    const parsed = ScorerConfig.safeParse({ type: "numeric", tolerence: 0.1 });
    expect(parsed.success).toBe(false);
    const issue = reportedIssue((parsed as { error: z.ZodError }).error, ScorerConfig);
    expect(issue).toEqual({
      path: "tolerence",
      message: 'unknown field "tolerence" (did you mean "tolerance"?)',
      fix: "rename it to tolerance",
    });
  });
});
