import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import { createScorer, ScorerConfig, scorerName, scorerRegistry, scorerTypes } from "./index.ts";

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("expected an InputError");
}

describe("createScorer", () => {
  it("builds every table entry from its type name where no option is required", () => {
    for (const type of ["exact", "normalized", "numeric", "json", "contains", "choice"] as const) {
      const s = createScorer(type);
      expect(s.kind).toBe("exact");
      expect(s.name).toBe(type);
    }
    expect([...scorerTypes].sort()).toEqual(Object.keys(scorerRegistry).sort());
  });

  it("names an unknown scorer in the `scorer` field and lists the valid names", () => {
    const err = inputError(() => createScorer("exactly", { file: "evals/support.eval.ts" }));
    expect(err.file).toBe("evals/support.eval.ts");
    expect(err.where).toBe("scorer");
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('unknown scorer "exactly"');
    for (const t of scorerTypes) expect(err.fix).toContain(t);
  });

  it("reports an unknown type inside an object at scorer.type", () => {
    const err = inputError(() => createScorer({ type: "fuzzy" } as never));
    expect(err.where).toBe("scorer.type");
  });

  it("says which options a bare name is missing", () => {
    const err = inputError(() => createScorer("label"));
    expect(err.where).toBe("scorer");
    expect(err.problem).toMatch(/needs options \(labels/);
    expect(err.fix).toContain('type: "label"');
  });

  it("points at the bad option, including unknown keys, with a custom field prefix", () => {
    const tol = inputError(() => createScorer({ type: "numeric", tolerance: -1 }, { field: "scorers[1]" }));
    expect(tol.where).toBe("scorers[1].tolerance");
    const typo = inputError(() => createScorer({ type: "numeric", tolerence: 0.1 } as never));
    expect(typo.message).toMatch(/tolerence/);
    const extract = inputError(() => createScorer({ type: "numeric", extract: "middle" } as never));
    expect(extract.where).toBe("scorer.extract");
  });

  it("accepts a runtime zod schema inside the config union", () => {
    const schema = z.object({ a: z.number() });
    expect(ScorerConfig.parse({ type: "json", schema }).type).toBe("json");
    expect(ScorerConfig.safeParse({ type: "json", schema: "not a schema" }).success).toBe(false);
  });
});

describe("scorerName", () => {
  it("is the type for defaults and lists options otherwise, stably", () => {
    expect(scorerName("numeric")).toBe("numeric");
    expect(scorerName({ type: "numeric" })).toBe("numeric");
    expect(scorerName({ type: "numeric", tolerance: 0.01, extract: "hash" })).toBe(
      "numeric(extract=hash,tolerance=0.01)",
    );
    expect(scorerName({ type: "numeric", routellmCompat: true })).toBe("numeric(routellmCompat)");
    expect(scorerName({ type: "label", labels: ["billing", "refund"] })).toBe("label(billing|refund)");
    expect(scorerName({ type: "regex", pattern: "^yes", flags: "i" })).toBe("regex(/^yes/i)");
    expect(scorerName({ type: "json", fields: ["a", "b"], schema: z.object({}) })).toBe("json(fields=a|b,schema)");
    expect(createScorer({ type: "contains", value: "OK" }).name).toBe("contains(value=OK)");
  });
});
