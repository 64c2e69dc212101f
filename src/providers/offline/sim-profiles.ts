import type { ModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";

// The sim's model zoo. Abilities are on a logit scale: P(correct) = sigmoid(ability - difficulty),
// with difficulty easy = -1, medium = 0.5, hard = 2 (SIM_DIFFICULTY). Prices are the rows
// "sim:<name>" of src/pricing/prices.json (list prices of a comparable real model). Changing any
// number here changes sim outcomes: bump SIM_VERSION so stored outcomes are not reused.

export const SIM_VERSION = "2026-11";
export const DEFAULT_SIM_SEED = "routegate-sim";

export const SIM_DIFFICULTY = { easy: -1, medium: 0.5, hard: 2 } as const;

/**
 * Share of the correctness draw that is common to every profile for an item (Gaussian copula
 * weight). The rest is per profile, so a weak model is sometimes right where a strong one is wrong.
 * 0.2 gives, on an even easy/medium/hard mix, P(flagship right | cheap right) ~ 0.92 and 4-10% of
 * items "weaker right, stronger wrong" across profile pairs (real GSM8K pair: 0.89 and 7.2%).
 */
export const SIM_COMMON_SHARE = 0.2;
/** Share of the per-profile draw that changes with the sample index (generation variance). */
export const SIM_SAMPLE_SHARE = 0.3;

export interface SimLatency {
  /** Median time to first token, ms. */
  ttftMs: number;
  /** Median ms per output token (reasoning tokens included). */
  perOutputTokenMs: number;
  /** Prefill ms per uncached input token. */
  perInputTokenMs: number;
  /** Log-normal jitter sigma (0.25 = typical +-25%). */
  jitter: number;
}

export interface SimProfile {
  name: string;
  description: string;
  /** The real model whose list price and behaviour it imitates. */
  comparableTo: string;
  tier: string;
  ability: number;
  /** Ability by `item.metadata.feature`, replacing `ability` for those items. */
  featureAbility?: Readonly<Record<string, number>>;
  /** Ability lost on adversarial items (`metadata.adversarial: true`): weaker profiles lose more. */
  adversarialPenalty: number;
  latency: SimLatency;
  /** Length multiplier for worked solutions and prose (1 = a typical chat model). */
  verbosity: number;
  /** Probability that a JSON answer comes wrapped in a ```json fence. */
  jsonFence: number;
  /** Whether the profile reports logprobs (OpenAI-like yes; an Anthropic-like profile would not). */
  logprobs: boolean;
  /** Hidden reasoning tokens: base + perDifficulty x sigmoid(difficulty), with jitter. */
  reasoning?: { base: number; perDifficulty: number };
  fineTune?: { baseModel: string; trainingTokens: number; trainingUsdPer1M: number; trainingCostUsd: number };
}

const profiles = {
  cheap: {
    name: "cheap",
    description: "small hosted model: fine on easy items, fragile on hard and adversarial ones",
    comparableTo: "gpt-4o-mini",
    tier: "cheap",
    ability: 0.7,
    adversarialPenalty: 1.5,
    latency: { ttftMs: 350, perOutputTokenMs: 9, perInputTokenMs: 0.02, jitter: 0.3 },
    verbosity: 1,
    jsonFence: 0.3,
    logprobs: true,
  },
  mid: {
    name: "mid",
    description: "mid-size hosted model",
    comparableTo: "gpt-4.1-mini",
    tier: "mid",
    ability: 1.5,
    adversarialPenalty: 1.0,
    latency: { ttftMs: 400, perOutputTokenMs: 10, perInputTokenMs: 0.03, jitter: 0.3 },
    verbosity: 1.2,
    jsonFence: 0.1,
    logprobs: true,
  },
  flagship: {
    name: "flagship",
    description: "flagship hosted model: strongest non-reasoning profile, slowest per token",
    comparableTo: "gpt-4o",
    tier: "flagship",
    ability: 2.5,
    adversarialPenalty: 0.5,
    latency: { ttftMs: 550, perOutputTokenMs: 14, perInputTokenMs: 0.05, jitter: 0.3 },
    verbosity: 1.5,
    jsonFence: 0,
    logprobs: true,
  },
  reasoning: {
    name: "reasoning",
    description: "reasoning model: spends hidden reasoning tokens (billed as output), more on hard items",
    comparableTo: "o3-mini",
    tier: "reasoning",
    ability: 3,
    adversarialPenalty: 0.4,
    latency: { ttftMs: 900, perOutputTokenMs: 6, perInputTokenMs: 0.04, jitter: 0.35 },
    verbosity: 0.8,
    jsonFence: 0,
    logprobs: true,
    reasoning: { base: 100, perDifficulty: 700 },
  },
  selfhosted: {
    name: "selfhosted",
    description:
      "Llama-3.1-8B-class open model on vLLM: weakest, fastest, priced per token until GPU-hour pricing lands",
    comparableTo: "llama-3.1-8b",
    tier: "selfhosted",
    ability: 0.2,
    adversarialPenalty: 1.8,
    latency: { ttftMs: 120, perOutputTokenMs: 5, perInputTokenMs: 0.01, jitter: 0.2 },
    verbosity: 0.9,
    jsonFence: 0.2,
    logprobs: true,
  },
  finetuned: {
    name: "finetuned",
    description:
      'gpt-4.1-mini fine-tuned for triage: strongest of all on items with metadata.feature "triage", weak elsewhere (narrow training)',
    comparableTo: "gpt-4.1-mini (fine-tuned)",
    tier: "finetuned",
    ability: 0.4,
    featureAbility: { triage: 3.2 },
    adversarialPenalty: 1.2,
    latency: { ttftMs: 300, perOutputTokenMs: 8, perInputTokenMs: 0.02, jitter: 0.25 },
    verbosity: 0.6,
    jsonFence: 0,
    logprobs: true,
    // Assumed: 2,000 examples x 500 tokens x 3 epochs at $5 per 1M training tokens (OpenAI's
    // gpt-4.1-mini training price; not in notes/pricing.md, verify before relying on it).
    fineTune: {
      baseModel: "gpt-4.1-mini-2025-04-14",
      trainingTokens: 3_000_000,
      trainingUsdPer1M: 5,
      trainingCostUsd: 15,
    },
  },
} as const satisfies Record<string, SimProfile>;

export type SimProfileName = keyof typeof profiles;
export const SIM_PROFILES: Readonly<Record<SimProfileName, SimProfile>> = profiles;
export const SIM_PROFILE_NAMES = Object.keys(profiles) as SimProfileName[];

export function isSimProfileName(name: string): name is SimProfileName {
  return Object.hasOwn(profiles, name);
}

/** The profile a sim model spec names (`sim:cheap` -> spec.model "cheap"); unknown -> InputError. */
export function simProfileFor(spec: ModelSpec): SimProfile {
  if (isSimProfileName(spec.model)) return SIM_PROFILES[spec.model];
  throw new InputError(
    "models",
    spec.id,
    `unknown sim profile "${spec.model}"`,
    `use one of ${SIM_PROFILE_NAMES.map((n) => `sim:${n}`).join(", ")}`,
  );
}

/** A ready model spec for a profile (fills tier and fineTune). */
export function simModelSpec(name: SimProfileName): ModelSpec {
  const p: SimProfile = SIM_PROFILES[name];
  return {
    id: `sim:${name}`,
    provider: "sim",
    model: name,
    tier: p.tier,
    ...(p.fineTune
      ? { fineTune: { baseModel: p.fineTune.baseModel, trainingCostUsd: p.fineTune.trainingCostUsd } }
      : {}),
  };
}
