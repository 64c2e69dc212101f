import { defineEval } from "routegate/config";
import { lengthRouter, randomRouter } from "routegate/routing";
import { verifiedCascade } from "../routers/cascade.ts";
import { heuristicRouter } from "../routers/heuristic.ts";
import { learnedCascade } from "../routers/learned.ts";

// Short numeric word problems: multi-step reasoning is where cheap models slip.
const weak = "sim:cheap";
const strong = "sim:flagship";

export default defineEval({
  name: "math",
  description: "Numeric word problems answered with a worked solution and a final `#### n` line.",
  dataset: "../datasets/math/items.jsonl",
  prompt: { system: "../datasets/math/system.hbs", user: "../datasets/math/user.hbs" },
  request: { maxTokens: 400, temperature: 0 },
  models: ["sim:cheap", "sim:mid", "sim:flagship"],
  weak,
  strong,
  scorer: { type: "numeric", extract: "hash", tolerance: 0.01 },
  routers: [
    heuristicRouter({ weak, strong, keywords: ["percent", "%", "each", "remaining", "twice", "average", "per"] }),
    lengthRouter({ weak, strong }),
    randomRouter({ weak, strong }),
    // The cheap answer is kept when its tokens were confident, it states a final number and its
    // arithmetic re-computes; otherwise the item escalates (the cheap call is paid either way).
    verifiedCascade({ models: [weak, strong], answer: { kind: "number" } }),
    // The same cheap answer, judged by a logistic regression fitted on the calibration split.
    learnedCascade({ weak, strong }),
  ],
  gates: [{ policy: "heuristic", minQuality: 0.5 }],
});
