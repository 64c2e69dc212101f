import { describe, expect, it } from "vitest";
import type { Summary } from "../contracts/summary.ts";
import { prComment } from "./pr-comment.ts";

const summary = (name: string, passed: boolean, simulated = false) =>
  ({
    eval: name,
    simulated,
    gate: {
      passed,
      checks: [
        { name: "quality (all items)", passed, value: passed ? -0.01 : -0.08, threshold: -0.02 },
        { name: "cost per 1K requests", passed: true, value: 1, threshold: 2 },
      ],
    },
  }) as unknown as Summary;

describe("prComment", () => {
  it("fails the check once per blocked eval, names the failed checks, and puts blocked evals first", () => {
    const c = prComment([
      { summary: summary("triage", true), markdown: "triage report" },
      { summary: summary("math", false), markdown: "math report" },
    ]);
    expect(c.failures).toEqual(["routegate blocked <code>math</code>: quality (all items)"]);
    expect(c.markdown.split("\n")[0]).toBe("## routegate: 1 of 2 evals blocked");
    expect(c.markdown.indexOf("math report")).toBeLessThan(c.markdown.indexOf("triage report"));
    expect(c.markdown).toContain("<details open><summary>BLOCKED: math</summary>");
  });

  it('labels an eval that declares no gate "no gates", not "passed"', () => {
    const none = { eval: "plain", simulated: false, gate: { passed: true, checks: [] } } as unknown as Summary;
    const c = prComment([
      { summary: none, markdown: "plain report" },
      { summary: summary("triage", true), markdown: "triage report" },
    ]);
    expect(c.failures).toEqual([]);
    expect(c.markdown).toContain("<details><summary>no gates: plain</summary>");
    expect(c.markdown).toContain("<details><summary>passed: triage</summary>");
    expect(c.markdown.split("\n")[0]).toBe("## routegate: 1 of 2 evals passed, 1 without gates");
    expect(prComment([{ summary: none, markdown: "r" }]).markdown.split("\n")[0]).toBe(
      "## routegate: no gates in the 1 eval",
    );
    const blocked = prComment([
      { summary: none, markdown: "r" },
      { summary: summary("triage", false), markdown: "r" },
    ]);
    expect(blocked.markdown.split("\n")[0]).toBe("## routegate: 1 of 2 evals blocked, 1 without gates");
  });

  it("passes when every gate passed, and warns about simulated runs", () => {
    const c = prComment([{ summary: summary("triage", true, true), markdown: "r" }]);
    expect(c.failures).toEqual([]);
    expect(c.markdown.split("\n")[0]).toBe("## routegate: all 1 evals passed");
    expect(c.warnings[0]).toMatch(/simulated/);
  });

  it("fails when no report exists (the eval step did not run)", () => {
    expect(prComment([]).failures).toHaveLength(1);
  });
});
