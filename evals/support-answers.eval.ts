import { defineEval } from "routegate/config";
import { lengthRouter, randomRouter } from "routegate/routing";
import { heuristicRouter } from "../routers/heuristic.ts";

// Open-ended support answers, scored by an LLM judge: pairwise against the reference answer, in
// both orders (docs/metrics.md#judge). SIMULATED: the candidates and the judge are sim models, so
// every figure (the judge's flip and tie rates included) shows how the machinery behaves, not how
// any real model or judge does. Swap in real models and a real judge, e.g. judge: "openai:gpt-4o",
// for real numbers; the store keeps every answer, so only the judge calls are new.
const weak = "sim:cheap";
const strong = "sim:flagship";

export default defineEval({
  name: "support-answers",
  description:
    "Answer customer-support questions in one paragraph; a (simulated) judge compares each answer with a reference.",
  dataset: "../datasets/support-answers/items.jsonl",
  // Production volumes for `routegate plan` and the report's cost plan section.
  traffic: "../datasets/support-answers/traffic.json",
  prompt: { system: "../datasets/support-answers/system.hbs", user: "../datasets/support-answers/user.hbs" },
  request: { maxTokens: 600, temperature: 0 },
  models: ["sim:cheap", "sim:mid", "sim:flagship"],
  weak,
  strong,
  scorer: {
    type: "judge-pairwise",
    // The sim judge grades the answer shown last against the item's reference; SIMULATED.
    judge: "sim:flagship",
    against: "reference",
    // E-mail addresses and phone numbers in customers' messages never reach the judge provider.
    redact: true,
    // Only meaningful in the simulation, where a right answer is the reference verbatim: it gives
    // the judge an exact check to agree with (kappaVsExact). Real open-ended answers have none.
    agreeWith: "normalized",
  },
  routers: [
    heuristicRouter({ weak, strong, keywords: ["security", "refund", "charged", "login", "warranty", "gdpr", "sso"] }),
    lengthRouter({ weak, strong }),
    randomRouter({ weak, strong }),
  ],
  select: { minQualityRatio: 0.95 },
});
