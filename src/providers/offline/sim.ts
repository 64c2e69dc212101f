import { setTimeout as sleep } from "node:timers/promises";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type {
  ChatRequest,
  EvaluationCallContext,
  Expected,
  Item,
  LogprobSummary,
  ProviderResult,
  RequestIdentity,
  Usage,
} from "../../core/types.ts";
import type { Provider } from "../provider.ts";
import { countChatTokens, countMessagesTokens, countTokens, truncateToTokens } from "../tokens.ts";
import { answerLooksCorrect, renderCorrect, renderWrong } from "./sim-answer.ts";
import {
  DEFAULT_SIM_SEED,
  SIM_COMMON_SHARE,
  SIM_DIFFICULTY,
  SIM_SAMPLE_SHARE,
  SIM_VERSION,
  type SimProfile,
  type SimProfileName,
  simModelSpec,
  simProfileFor,
} from "./sim-profiles.ts";
import { gaussian, normalCdf, sigmoid, uniform } from "./sim-random.ts";

// The `sim` provider: a seeded, deterministic simulated model zoo (docs/architecture.md).
// Per item, P(correct) = sigmoid(ability - difficulty); the draw deciding it is a hash of (seed,
// profile, item, sample, role), mixed with a draw common to all profiles, so results are
// independent of call order and concurrency and errors overlap across models as in real data.
// It answers instantly (unless ROUTEGATE_SIM_DELAY_MS says otherwise) and reports the latency a
// real model would have had.

/** Prompt-cache rules modelled on OpenAI: prefixes of >= 1024 tokens, in 128-token steps. */
export const SIM_CACHE = { minPrefixTokens: 1024, step: 128, hitRate: 0.9 } as const;

export interface SimOptions {
  /** Changes every draw (and the snapshot, so outcomes of different seeds never mix). */
  seed?: string;
}

/** Item difficulty on the ability (logit) scale. */
export function simDifficulty(item: Item | undefined, request: ChatRequest): number {
  const raw = item?.metadata?.["difficulty"];
  if (typeof raw === "number" && Number.isFinite(raw)) return raw;
  if (typeof raw === "string" && Object.hasOwn(SIM_DIFFICULTY, raw)) {
    return SIM_DIFFICULTY[raw as keyof typeof SIM_DIFFICULTY];
  }
  if (raw !== undefined) {
    throw new InputError(
      "dataset",
      `item ${item?.id}, metadata.difficulty`,
      `difficulty ${JSON.stringify(raw)} is not "easy", "medium", "hard" or a number`,
      "use easy/medium/hard, a number on the sim's logit scale (easy -1, medium 0.5, hard 2), or leave it out",
    );
  }
  // No label: longer inputs are harder. 40 tokens ~ easy, 110 ~ medium, 320 ~ hard.
  const text =
    item === undefined
      ? (request.messages.filter((m) => m.role === "user").at(-1)?.content ?? "")
      : typeof item.input === "string"
        ? item.input
        : JSON.stringify(item.input);
  const tokens = Math.max(1, countTokens(text));
  return Math.min(2.5, Math.max(-1.5, -1 + Math.log2(tokens / 40)));
}

/** The profile's ability on this item (feature specialisation, adversarial penalty). */
export function simAbility(profile: SimProfile, item: Item | undefined): number {
  const feature = item?.metadata?.["feature"];
  const base = (typeof feature === "string" ? profile.featureAbility?.[feature] : undefined) ?? profile.ability;
  return item?.metadata?.["adversarial"] === true ? base - profile.adversarialPenalty : base;
}

/**
 * Whether the profile answers correctly, and the probability it had. The uniform deciding it is a
 * Gaussian copula of a draw common to all profiles (SIM_COMMON_SHARE), one per profile and item,
 * and one per sample, so it stays exactly uniform and P(correct) is exactly sigmoid(a - d).
 */
export function simOutcome(
  profile: SimProfile,
  item: Item | undefined,
  request: ChatRequest,
  identity: Pick<RequestIdentity, "itemId" | "sample" | "role">,
  seed = DEFAULT_SIM_SEED,
): { correct: boolean; p: number; difficulty: number; ability: number } {
  const difficulty = simDifficulty(item, request);
  const ability = simAbility(profile, item);
  const p = sigmoid(ability - difficulty);
  const { itemId, sample, role } = identity;
  const zCommon = gaussian(seed, "common", itemId, role);
  const zModel = gaussian(seed, profile.name, itemId, role);
  const zSample = gaussian(seed, profile.name, itemId, sample, role);
  const own = Math.sqrt(1 - SIM_SAMPLE_SHARE) * zModel + Math.sqrt(SIM_SAMPLE_SHARE) * zSample;
  const z = Math.sqrt(SIM_COMMON_SHARE) * zCommon + Math.sqrt(1 - SIM_COMMON_SHARE) * own;
  return { correct: normalCdf(z) < p, p, difficulty, ability };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Mean/min token log-probabilities: closer to 0 when right, with overlap (a usable, imperfect signal). */
function logprobsFor(signal: number, key: string): LogprobSummary {
  const s = signal + 0.9 * gaussian(key, "logprobs");
  const mean = -0.9 * sigmoid(-(s - 0.8));
  const min = Math.min(mean, mean * (6 + 10 * uniform(key, "logprobs-min")));
  return { mean: round(mean, 4), min: round(min, 4) };
}

function cutAtStop(text: string, stop: readonly string[] | undefined): string {
  let end = text.length;
  for (const s of stop ?? []) {
    const at = s ? text.indexOf(s) : -1;
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

export class SimProvider implements Provider {
  readonly specificationVersion = "v1";
  readonly id = "sim";
  readonly offline = true;
  readonly seed: string;

  constructor(opts: SimOptions = {}) {
    this.seed = opts.seed ?? DEFAULT_SIM_SEED;
  }

  defaults(spec: ModelSpec): Partial<ModelSpec> {
    const { tier, fineTune } = simModelSpec(simProfileFor(spec).name as SimProfileName);
    return { ...(tier ? { tier } : {}), ...(fineTune ? { fineTune } : {}) };
  }

  snapshot(spec: ModelSpec): string {
    const profile = simProfileFor(spec);
    const base = `sim-${profile.name}-${SIM_VERSION}`;
    return this.seed === DEFAULT_SIM_SEED ? base : `${base}+seed.${this.seed}`;
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: EvaluationCallContext): Promise<ProviderResult> {
    ctx.signal?.throwIfAborted();
    const delay = simDelayMs();
    if (delay > 0) await sleep(delay, undefined, ctx.signal ? { signal: ctx.signal } : {});
    const profile = simProfileFor(spec);
    const { itemId, sample, role, parents } = ctx.identity;
    const key = [this.seed, profile.name, itemId, sample, role, ...parents].join("|");
    const outcome = simOutcome(profile, ctx.item, request, ctx.identity, this.seed);
    const effort = Math.min(2, Math.max(0, (outcome.difficulty + 1) / 1.5));
    const style = { verbosity: profile.verbosity, fence: uniform(key, "fence") < profile.jsonFence, effort, key };
    const expected: Expected | undefined = ctx.item?.expected;
    const answerSpace = ctx.answerSpace ?? [];

    let text: string;
    let signal: number;
    if (role === "answer") {
      text = outcome.correct ? renderCorrect(expected, style) : renderWrong(expected, answerSpace, style);
      signal = (outcome.correct ? 1.3 : 0) + 0.2 * (outcome.ability - outcome.difficulty);
    } else if (role === "classify") {
      // A complexity score that tracks difficulty, noisier for weaker profiles.
      const noise = gaussian(key, "complexity") * (1.2 / (1 + 0.3 * Math.max(0, profile.ability)));
      const complexity = round(sigmoid(0.9 * (outcome.difficulty - 0.5) + noise), 3);
      text = JSON.stringify({ complexity });
      signal = 1;
    } else {
      // verify / judge: grade the answer embedded in the request against the item's expected value.
      const embedded = request.messages
        .filter((m) => m.role !== "system")
        .map((m) => m.content)
        .join("\n");
      const truth = answerLooksCorrect(embedded, expected, answerSpace) ?? uniform(key, "prior") < 0.6;
      const accurate = uniform(key, "verdict") < sigmoid(outcome.ability + 1 - outcome.difficulty);
      const verdict = truth === accurate ? "pass" : "fail";
      const confidence = round(accurate ? 0.75 + 0.24 * uniform(key, "conf") : 0.5 + 0.3 * uniform(key, "conf"), 2);
      text = JSON.stringify({ verdict, confidence });
      signal = accurate ? 1.3 : 0;
    }

    // Hidden reasoning first: it counts against maxTokens like OpenAI's max_completion_tokens.
    let reasoning = 0;
    if (profile.reasoning) {
      const jitter = Math.exp(0.3 * gaussian(key, "reasoning"));
      reasoning = Math.round(
        (profile.reasoning.base + profile.reasoning.perDifficulty * sigmoid(outcome.difficulty)) * jitter,
      );
    }
    reasoning = Math.min(reasoning, request.maxTokens);
    text = truncateToTokens(cutAtStop(text, request.stop), request.maxTokens - reasoning);

    const usage = this.usage(request, key, countTokens(text), reasoning);
    const lat = profile.latency;
    const uncached = usage.input.noCache + usage.input.cacheWrite5m + usage.input.cacheWrite1h;
    const latencyMs = Math.round(
      lat.ttftMs * Math.exp(lat.jitter * gaussian(key, "ttft")) +
        lat.perInputTokenMs * uncached +
        lat.perOutputTokenMs * (usage.output.text + reasoning) * Math.exp(0.5 * lat.jitter * gaussian(key, "tps")),
    );

    const result: ProviderResult = { text, usage, latencyMs, snapshot: this.snapshot(spec) };
    if (profile.logprobs) result.logprobs = logprobsFor(signal, key);
    return result;
  }

  private usage(request: ChatRequest, key: string, textTokens: number, reasoning: number): Usage {
    const total = countChatTokens(request.messages);
    let cacheRead = 0;
    const prefix = request.cache?.prefixMessages ?? 0;
    if (prefix > 0) {
      const prefixTokens = countMessagesTokens(request.messages.slice(0, prefix));
      if (prefixTokens >= SIM_CACHE.minPrefixTokens && uniform(key, "cache") < SIM_CACHE.hitRate) {
        cacheRead = Math.floor(prefixTokens / SIM_CACHE.step) * SIM_CACHE.step;
      }
    }
    return {
      input: { noCache: total - cacheRead, cacheRead, cacheWrite5m: 0, cacheWrite1h: 0 },
      output: { text: textTokens, reasoning },
    };
  }
}

/**
 * Testing aid: `ROUTEGATE_SIM_DELAY_MS=N` makes every sim call really wait N ms (the reported
 * latency is unchanged), so kill-and-resume and timeout paths can be exercised without a network.
 */
function simDelayMs(): number {
  const ms = Number(process.env["ROUTEGATE_SIM_DELAY_MS"] ?? 0);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

export function createSimProvider(opts: SimOptions = {}): SimProvider {
  return new SimProvider(opts);
}
