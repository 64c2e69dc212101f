import type { ModelId } from "@routegate/runtime";
import {
  arithmeticChecksOut,
  type ConfidenceSource,
  cascadeRouter,
  hasFinalNumber,
  labelIsAllowed,
  llmVerifier,
  logprobConfidence,
  parsesAsJson,
  verifierSource,
} from "@routegate/runtime/routing";
import type { ZodType } from "zod";

/**
 * A speculative cascade as a team would write it: the cheap model answers first; its answer is kept
 * when every check passes and its tokens were confident, otherwise the item escalates. The checks
 * are chosen by the kind of answer the feature expects; each one is plain code except the optional
 * LLM verifier (a verify-role call, charged like any other).
 */
export function verifiedCascade(opts: {
  /** Cheapest first. */
  models: readonly ModelId[];
  id?: string;
  /** What a well-formed answer looks like. */
  answer: { kind: "number" } | { kind: "json"; schema: ZodType } | { kind: "label"; labels: readonly string[] };
  /** Optional LLM verifier model (adds one verify call per cheap answer). */
  verifier?: ModelId;
}) {
  const sources: ConfidenceSource[] = [logprobConfidence("mean")];
  if (opts.answer.kind === "number") {
    sources.push(verifierSource("final-number", hasFinalNumber()), verifierSource("arithmetic", arithmeticChecksOut()));
  } else if (opts.answer.kind === "json") {
    sources.push(verifierSource("schema", parsesAsJson(opts.answer.schema)));
  } else {
    sources.push(verifierSource("label", labelIsAllowed(opts.answer.labels)));
  }
  if (opts.verifier) sources.push(llmVerifier(opts.verifier));
  return cascadeRouter({ id: opts.id ?? "cascade", models: opts.models, sources, combine: "min" });
}
