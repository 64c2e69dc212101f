import { describe, expect, it } from "vitest";
import { parseModelSpec } from "../../contracts/model-spec.ts";
import { modelFamily, sharedFamilyWarnings } from "./family.ts";

const spec = (s: string) => parseModelSpec(s);

describe("model families", () => {
  it("reads the family from the provider or, for replay/vLLM, the model name", () => {
    expect(modelFamily(spec("openai:gpt-4o"))).toBe("openai");
    expect(modelFamily(spec("anthropic:claude-3-5-haiku-20241022"))).toBe("anthropic");
    expect(modelFamily(spec("google:gemini-2.0-flash"))).toBe("google");
    expect(modelFamily(spec("sim:flagship"))).toBe("sim");
    expect(modelFamily(spec("replay:gpt-4-1106-preview@f.jsonl"))).toBe("openai");
    expect(modelFamily(spec("replay:gpt4_1106_preview@f.jsonl"))).toBe("openai");
    expect(modelFamily(spec("replay:claude-2.1@f.jsonl"))).toBe("anthropic");
    expect(modelFamily(spec("replay:gemma-7b-it@f.jsonl"))).toBe("google");
    expect(modelFamily(spec("vllm:meta-llama/Llama-3.1-8B@http://h:8000/v1"))).toBe("meta");
    expect(modelFamily(spec("replay:mistralai/Mixtral-8x7B-Instruct-v0.1@f.jsonl"))).toBe("mistral");
    expect(modelFamily(spec("replay:my-house-model@f.jsonl"))).toBeNull();
  });

  it("warns once per judge that shares a family with a candidate", () => {
    const w = sharedFamilyWarnings(
      [spec("openai:gpt-4o")],
      [spec("openai:gpt-4o-mini"), spec("anthropic:claude-3-5-haiku-20241022"), spec("replay:gpt-4-turbo@f.jsonl")],
    );
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("openai family");
    expect(w[0]).toContain("openai:gpt-4o-mini, replay:gpt-4-turbo");
    expect(sharedFamilyWarnings([spec("anthropic:claude-3-5-sonnet")], [spec("openai:gpt-4o-mini")])).toEqual([]);
  });
});
