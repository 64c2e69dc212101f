import { z } from "zod";
import { parseJsonOutput } from "../json-output.ts";
import type { ConfidenceSource } from "./types.ts";

/**
 * Token log-probabilities (OpenAI, Gemini, vLLM report them): exp(mean) is the geometric-mean token
 * probability; exp(min) the least likely token's probability, which catches one guessed number in
 * an otherwise fluent answer. null when the provider reported none.
 */
export function logprobConfidence(use: "mean" | "min" = "mean"): ConfidenceSource {
  return {
    name: `logprobs-${use}`,
    confidence: ({ answer }) => (answer.logprobs ? Math.exp(Math.min(0, answer.logprobs[use])) : null),
  };
}

const SelfReported = z.object({ confidence: z.union([z.number(), z.string()]) });

/**
 * The model's own confidence, when the prompt asked for it: a JSON field `confidence` or a line
 * "Confidence: 0.8" / "confidence: 80%". Values above 1 are read as percentages. null when absent.
 */
export function selfReportedConfidence(): ConfidenceSource {
  return {
    name: "self-reported",
    confidence: ({ answer }) => {
      const json = SelfReported.safeParse(parseJsonOutput(answer.text));
      const raw = json.success
        ? String(json.data.confidence)
        : answer.text.match(/confidence\s*[:=]\s*([\d.]+\s*%?)/i)?.[1];
      if (raw === undefined) return null;
      const value = Number.parseFloat(raw);
      if (!Number.isFinite(value) || value < 0) return null;
      return Math.min(1, raw.includes("%") || value > 1 ? value / 100 : value);
    },
  };
}
