import { z } from "zod";
import type { ChatRequest, ModelId } from "../../core/types.ts";
import { DATA_RULE, fenceData } from "../data-fence.ts";
import { parseJsonOutput } from "../json-output.ts";
import type { ConfidenceInput, ConfidenceSource } from "./types.ts";

export const VERIFIER_INSTRUCTIONS = [
  "You check whether an answer to a task is correct.",
  "You receive the task and a candidate answer, each as a fenced data block.",
  DATA_RULE,
  'Reply with JSON only: {"verdict": "pass" | "fail", "confidence": <number between 0 and 1>}.',
].join("\n");

const Verdict = z.object({ verdict: z.enum(["pass", "fail"]), confidence: z.number().min(0).max(1).optional() });

/**
 * An LLM verifier: a verify-role call whose request embeds the answer, so it names the answer's
 * request as its parent (a replay never pairs a verdict with another model's answer). The verdict
 * maps to a confidence: pass c -> c, fail c -> 1 - c. A malformed verdict is retried once (sample
 * 1), then the source abstains (null).
 */
export function llmVerifier(model: ModelId, opts: { maxTokens?: number } = {}): ConfidenceSource {
  return {
    name: `llm-verifier:${model}`,
    async confidence(input) {
      if (input.answer.error) return 0;
      const request = verifyRequest(input, opts.maxTokens ?? 40);
      for (const sample of [0, 1]) {
        const result = await input.ctx.call(model, request, {
          role: "verify",
          sample,
          parents: [input.answer.requestHash],
        });
        if (result.error) return null;
        const parsed = Verdict.safeParse(parseJsonOutput(result.text));
        if (!parsed.success) continue;
        const c = parsed.data.confidence ?? 0.75;
        return parsed.data.verdict === "pass" ? c : 1 - c;
      }
      return null;
    },
  };
}

/** Stable instructions first (cacheable), then the task and the answer as fenced data. */
export function verifyRequest(input: ConfidenceInput, maxTokens: number): ChatRequest {
  const task = input.request.messages
    .filter((m) => m.role !== "system")
    .map((m) => m.content)
    .join("\n\n");
  return {
    messages: [
      { role: "system", content: VERIFIER_INSTRUCTIONS },
      { role: "user", content: `${fenceData("task", task)}\n\n${fenceData("answer", input.answer.text)}` },
    ],
    maxTokens,
    temperature: 0,
    responseFormat: "json",
    cache: { prefixMessages: 1 },
  };
}
