import type { Content, GenerateContentConfig } from "@google/genai";
import { z } from "zod";
import type { ChatRequest, LogprobSummary, ProviderResult } from "../../core/types.ts";
import { parseBody } from "../hosted/body.ts";
import { summariseLogprobs } from "../hosted/logprobs.ts";
import { geminiContents, geminiFinishReason, geminiToolCall, geminiToolConfig } from "./tools.ts";
import { usageFromGemini } from "./usage.ts";

// The Gemini generateContent wire format. Pure: what routegate asks for and how it reads the reply.
// Prompt caching: Gemini 2.x caches shared prefixes implicitly, so nothing is sent for
// `request.cache` (explicit `cachedContent` caches are not used); cached tokens still come back
// in `cachedContentTokenCount` and are priced as cached input.

export interface GeminiRequestParts {
  contents: Content[];
  config: GenerateContentConfig;
}

export function geminiRequest(request: ChatRequest): GeminiRequestParts {
  const system = request.messages.filter((m) => m.role === "system").map((m) => ({ text: m.content }));
  const contents: Content[] = geminiContents(request.messages);
  const config: GenerateContentConfig = {
    maxOutputTokens: request.maxTokens,
    ...(system.length ? { systemInstruction: { parts: system } } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { topP: request.topP } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.stop?.length ? { stopSequences: request.stop } : {}),
    ...(request.responseFormat === "json" ? { responseMimeType: "application/json" } : {}),
    ...(request.logprobs ? { responseLogprobs: true } : {}),
    ...geminiToolConfig(request),
  };
  return { contents, config };
}

const GeminiCandidate = z.looseObject({
  content: z
    .looseObject({
      parts: z
        .array(
          z.looseObject({
            text: z.string().nullish(),
            thought: z.boolean().nullish(),
            functionCall: z
              .looseObject({ id: z.string().nullish(), name: z.string().nullish(), args: z.unknown().optional() })
              .nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
  avgLogprobs: z.number().nullish(),
  finishReason: z.string().nullish(),
  logprobsResult: z
    .looseObject({ chosenCandidates: z.array(z.looseObject({ logProbability: z.number().nullish() })).nullish() })
    .nullish(),
});
type GeminiCandidate = z.infer<typeof GeminiCandidate>;

export const GeminiResponse = z.looseObject({
  candidates: z.array(GeminiCandidate).nullish(),
  // Required: a reply without usage cannot be priced. The normaliser validates its fields.
  usageMetadata: z.looseObject({}),
  modelVersion: z.string().nullish(),
});

/**
 * A generateContent reply -> ProviderResult. No candidate (a blocked prompt) is an empty answer:
 * the call completed and was billed for its prompt. Thought parts are not part of the answer;
 * their tokens are billed as reasoning output (`thoughtsTokenCount`).
 */
export function readGeminiResponse(body: unknown): Omit<ProviderResult, "latencyMs"> {
  const reply = parseBody("google", GeminiResponse, body);
  const candidate = reply.candidates?.[0];
  const result: Omit<ProviderResult, "latencyMs"> = {
    text: (candidate?.content?.parts ?? [])
      .filter((p) => !p.thought)
      .map((p) => p.text ?? "")
      .join(""),
    usage: usageFromGemini(reply.usageMetadata),
    rawUsage: { format: "google", usage: reply.usageMetadata },
  };
  if (reply.modelVersion) result.snapshot = reply.modelVersion;
  const calls = (candidate?.content?.parts ?? []).flatMap((p) => (p.functionCall ? [p.functionCall] : []));
  if (calls.length) result.toolCalls = calls.map((fc, i) => geminiToolCall(fc, i));
  const finish = geminiFinishReason(candidate?.finishReason, calls.length > 0);
  if (finish) result.finishReason = finish;
  const logprobs = candidate ? geminiLogprobs(candidate) : undefined;
  if (logprobs) result.logprobs = logprobs;
  return result;
}

/**
 * Per-token log probabilities of the chosen tokens when the reply has them; otherwise the
 * candidate's `avgLogprobs` stands for both mean and min (the minimum is then unknown, and the
 * average is the best bound routegate has).
 */
function geminiLogprobs(candidate: GeminiCandidate): LogprobSummary | undefined {
  const chosen = (candidate.logprobsResult?.chosenCandidates ?? [])
    .map((c) => c.logProbability)
    .filter((v): v is number => typeof v === "number");
  const summary = summariseLogprobs(chosen);
  if (summary) return summary;
  const avg = candidate.avgLogprobs;
  return typeof avg === "number" ? { mean: avg, min: avg } : undefined;
}
