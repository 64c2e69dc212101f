import { defineEval } from "routegate/config";
import { lengthRouter, randomRouter } from "routegate/routing";
import { schema } from "../datasets/extraction/schema.ts";
import { verifiedCascade } from "../routers/cascade.ts";
import { complexityClassifier } from "../routers/classifier.ts";

// Field extraction to JSON: scored per field against the schema, so partial answers count partly.
const weak = "sim:cheap";
const strong = "sim:flagship";

export default defineEval({
  name: "extraction",
  description: "Extract invoice fields from messy e-mail text into JSON.",
  dataset: "../datasets/extraction/items.jsonl",
  prompt: { system: "../datasets/extraction/system.hbs", user: "../datasets/extraction/user.hbs" },
  request: { maxTokens: 200, temperature: 0, responseFormat: "json" },
  models: ["sim:cheap", "sim:mid", "sim:flagship", "sim:selfhosted"],
  weak,
  strong,
  scorer: { type: "json", schema },
  routers: [
    lengthRouter({ weak, strong }),
    randomRouter({ weak, strong }),
    complexityClassifier({ weak, strong }),
    // The cheap model's JSON is kept when it satisfies the schema and its tokens were confident.
    verifiedCascade({ models: [weak, "sim:mid", strong], answer: { kind: "json", schema } }),
  ],
  gates: [{ policy: "length", minQuality: 0.6 }],
});
