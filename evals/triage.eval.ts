import { defineEval } from "routegate/config";
import { learnedRouter, lengthRouter, qualityCostRouter, randomRouter } from "routegate/routing";
import labels from "../datasets/triage/labels.json" with { type: "json" };
import { complexityClassifier } from "../routers/classifier.ts";
import { heuristicRouter } from "../routers/heuristic.ts";

// Support-ticket triage: a high-volume, label-shaped feature where a cheap model is usually enough.
const weak = "sim:cheap";
const strong = "sim:flagship";
const models = ["sim:cheap", "sim:mid", "sim:flagship", "sim:finetuned"];

export default defineEval({
  name: "triage",
  description: "Route support tickets to one of eight queues.",
  dataset: "../datasets/triage/items.jsonl",
  // Production volumes for `routegate plan` and the report's cost plan section.
  traffic: "../datasets/triage/traffic.json",
  prompt: { system: "../datasets/triage/system.hbs", user: "../datasets/triage/user.hbs" },
  request: { maxTokens: 8, temperature: 0 },
  models,
  weak,
  strong,
  scorer: { type: "label", labels: labels.labels },
  routers: [
    heuristicRouter({
      weak,
      strong,
      keywords: ["refund", "charged", "hacked", "password", "legal", "gdpr", "invoice", "cancel"],
      enterpriseBoost: 1,
    }),
    lengthRouter({ weak, strong }),
    randomRouter({ weak, strong }),
    // The cheap model rates each ticket's complexity; the ticket text is fenced as data.
    complexityClassifier({ weak, strong }),
    // Logistic regression on hashed n-grams of the ticket, fitted on the calibration split.
    learnedRouter({ weak, strong }),
    // All four candidates (the fine-tuned one included): per ticket, the best predicted quality
    // minus lambda x cost; the sweep over lambda traces the cost-quality curve.
    qualityCostRouter({ models }),
  ],
  select: { minQualityRatio: 0.95 },
  gates: [{ policy: "heuristic", minQuality: 0.75, maxCostPer1k: 3 }],
});
