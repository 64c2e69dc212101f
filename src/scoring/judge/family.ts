import type { ModelSpec } from "../../contracts/model-spec.ts";

// Self-preference: a judge tends to favour answers from its own model family. Families are read
// from the provider, or for replay/vLLM models from the model name.

const BY_NAME: ReadonlyArray<[RegExp, string]> = [
  [/\b(gpt|chatgpt|o[134](-mini)?|davinci|text-davinci|openai)\b|gpt[-_]?\d|gpt4/i, "openai"],
  [/claude|anthropic/i, "anthropic"],
  [/gemini|gemma|palm|bison|google/i, "google"],
  [/llama|meta-/i, "meta"],
  [/mistral|mixtral|codestral/i, "mistral"],
  [/qwen/i, "qwen"],
  [/deepseek/i, "deepseek"],
];

/** "openai", "anthropic", "google", "sim", ... or null when unknown. */
export function modelFamily(spec: Pick<ModelSpec, "provider" | "model">): string | null {
  if (spec.provider === "sim") return "sim";
  if (spec.provider === "openai" || spec.provider === "anthropic" || spec.provider === "google") return spec.provider;
  for (const [re, family] of BY_NAME) if (re.test(spec.model)) return family;
  return null;
}

/** One warning per judge that shares a family with any candidate. */
export function sharedFamilyWarnings(
  judges: readonly Pick<ModelSpec, "id" | "provider" | "model">[],
  candidates: readonly Pick<ModelSpec, "id" | "provider" | "model">[],
): string[] {
  const warnings: string[] = [];
  for (const judge of judges) {
    const family = modelFamily(judge);
    if (family === null) continue;
    const same = candidates.filter((c) => modelFamily(c) === family).map((c) => c.id);
    if (same.length === 0) continue;
    warnings.push(
      `judge ${judge.id} is of the ${family} family, like candidate(s) ${same.join(", ")}: judges tend to prefer their own family's answers; prefer a judge from another family, or a panel.`,
    );
  }
  return warnings;
}
