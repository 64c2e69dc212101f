import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { ModelSpec } from "../contracts/model-spec.ts";
import { InputError } from "../core/errors.ts";

// The candidates file: model specs an eval includes as they are
//   import finetuned from "./finetuned.json" with { type: "json" };
//   models: ["openai:gpt-4.1", ...finetuned],
// Each fine-tuned model carries its base and the training cost its job reported, so the report and
// the planner use the actual cost rather than an estimate.

const CandidatesFile = z.array(ModelSpec);

export function readCandidates(file: string): ModelSpec[] {
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `not valid JSON (${(err as Error).message})`,
      "fix or remove the candidates file",
    );
  }
  const parsed = CandidatesFile.safeParse(json);
  if (!parsed.success)
    throw new InputError(
      file,
      parsed.error.issues[0]!.path.join("."),
      parsed.error.issues[0]!.message,
      "a candidates file is a JSON array of model specs",
    );
  return parsed.data;
}

/** Adds (or updates, by model name) a fine-tuned model; returns the spec as written. */
export function registerCandidate(
  file: string,
  c: { id: string; model: string; baseModel: string; trainingCostUsd: number },
): ModelSpec {
  const spec: ModelSpec = {
    id: c.id,
    provider: "openai",
    model: c.model,
    fineTune: { baseModel: c.baseModel, trainingCostUsd: c.trainingCostUsd },
  };
  const others = readCandidates(file).filter((m) => m.model !== c.model);
  writeFileSync(file, `${JSON.stringify([...others, spec], null, 2)}\n`);
  return spec;
}
