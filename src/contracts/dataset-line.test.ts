import { describe, expect, it } from "vitest";
import { DatasetLine, isPlainDatasetLine } from "./dataset-line.ts";

// Issue 13: dataset lines are tested with plain type tests before the schema; the test must accept
// nothing the schema refuses or changes, and what it accepts must be what the schema returns.

const full = { id: "q1", input: "2+2?", expected: "4", metadata: { group: "a", tags: ["x"] } };
const request = { messages: [{ role: "user", content: "hi" }], maxTokens: 5 };

const odd: unknown[] = [null, undefined, "", "text", 0, 7, -1, 1.5, true, [], ["a"], {}, { k: 1 }, request];

function variants(): unknown[] {
  const out: unknown[] = [full, { id: "q", input: "" }, ...odd];
  for (const key of [...Object.keys(full), "request", "extra"]) {
    const { [key as keyof typeof full]: _gone, ...without } = full;
    out.push(without);
    for (const v of odd) out.push({ ...full, [key]: v });
  }
  out.push(JSON.parse('{"id":"q","input":"x","__proto__":{}}'));
  out.push(JSON.parse('{"id":"q","input":"x","metadata":{"__proto__":{"a":1},"b":2}}'));
  out.push(JSON.parse('{"id":"q","input":"x","metadata":{"constructor":1}}'));
  return out;
}

describe("isPlainDatasetLine", () => {
  it("accepts only what the schema accepts and returns unchanged", () => {
    let accepted = 0;
    let schemaOnly = 0;
    for (const v of variants()) {
      const parsed = DatasetLine.safeParse(v);
      if (isPlainDatasetLine(v)) {
        accepted++;
        expect(parsed.success, JSON.stringify(v)).toBe(true);
        expect(parsed.data).toEqual(v);
      } else if (parsed.success) schemaOnly++;
    }
    expect(accepted).toBeGreaterThan(15);
    // Left to the schema though valid: numeric ids (made text), object inputs, requests, __proto__.
    expect(schemaOnly).toBeGreaterThan(3);
  });

  it("leaves a numeric id to the schema, which turns it into text", () => {
    expect(isPlainDatasetLine({ id: 7, input: "x" })).toBe(false);
    expect(DatasetLine.parse({ id: 7, input: "x" }).id).toBe("7");
    expect(isPlainDatasetLine(full)).toBe(true);
  });
});
