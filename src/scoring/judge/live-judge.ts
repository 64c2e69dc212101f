import { type ModelSpec, parseModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import type { CallResult, Item } from "../../core/types.ts";
import { type ExactScorer, ScorerConfigProblem } from "../scorer.ts";
import { combinePanel, orderValue, type PanelRule, type Position, pairScore } from "./aggregate.ts";
import { type AskOutcome, askJudge } from "./ask.ts";
import type { JudgeLiveConfig } from "./config.ts";
import { sharedFamilyWarnings } from "./family.ts";
import { firstCandidatePosition, otherPosition } from "./order.ts";
import { buildProtocol, gradingRequest, type JudgeProtocol, pairwiseRequest } from "./protocol.ts";
import { questionOf, referenceOf } from "./question-and-reference.ts";
import { judgeScorerName } from "./scorer-name.ts";
import { charLength, JudgeTally } from "./tally.ts";
import type { JudgeItemDetail, JudgeRun, JudgeRunInput, JudgeScorer } from "./types.ts";

// A judge that calls judge models: pairwise (both orders), rubric, or reference-guided grading,
// one judge or a panel. Judge errors are scored 0, counted and reported, and left out of the
// diagnostics: 0 keeps every policy's denominator the same (docs/metrics.md#item-scores: failures are
// never dropped) and can only make a policy look worse, never better.

export const DEFAULT_ORDER_SEED = "routegate";

export interface LiveJudgeContext {
  baseDir: string;
  /** The eval file, for error messages. */
  file: string;
  agreeWith: ExactScorer | null;
}

interface Setup {
  config: JudgeLiveConfig;
  protocol: JudgeProtocol;
  judges: ModelSpec[];
  panel: PanelRule | null;
  seed: string;
  ctx: LiveJudgeContext;
  name: string;
}

export function createLiveJudge(config: JudgeLiveConfig, ctx: LiveJudgeContext): JudgeScorer {
  const protocol = buildProtocol(config, ctx.baseDir);
  const refs = Array.isArray(config.judge) ? config.judge : [config.judge];
  const judges = refs.map((ref, j): ModelSpec => {
    if (typeof ref !== "string") return ref;
    try {
      return parseModelSpec(ref);
    } catch (err) {
      throw new ScorerConfigProblem(
        refs.length > 1 ? `judge[${j}]` : "judge",
        (err as Error).message,
        "name the judge as PROVIDER:MODEL, e.g. openai:gpt-4o or sim:flagship",
      );
    }
  });
  const ids = judges.map((j) => j.id);
  const dup = ids.find((id, j) => ids.indexOf(id) !== j);
  if (dup) throw new ScorerConfigProblem("judge", `judge "${dup}" appears twice in the panel`, "list each judge once");
  const panel = judges.length > 1 ? (config.panel ?? "majority") : null;
  const setup: Setup = {
    config,
    protocol,
    judges,
    panel,
    seed: config.seed ?? DEFAULT_ORDER_SEED,
    ctx,
    name: judgeScorerName(config),
  };
  return {
    kind: "judge",
    name: setup.name,
    mode: protocol.mode,
    judges,
    promptHash: protocol.promptHash,
    run: (input) => runLiveJudge(setup, input),
  };
}

async function runLiveJudge(s: Setup, input: JudgeRunInput): Promise<JudgeRun> {
  const { items, models, results } = input;
  const mode = s.protocol.mode;
  const baseline = baselineIndex(s, models);
  // Check every reference before the first judge call: a dataset that cannot be judged is bad input.
  const references =
    mode === "rubric" || baseline !== null ? null : items.map((item) => referenceOf(item, s.config.type));
  if (mode === "pairwise" && baseline === null) refuseSimOnNumbers(s, items);
  const tally = new JudgeTally(s.ctx.agreeWith);
  const answers = models.length * items.length;
  input.progress?.start(answers);
  const details = await Promise.all(
    models.map((_model, k) =>
      Promise.all(
        items.map(async (item, i) => {
          const answer = results[k]![i]!;
          const detail =
            mode === "pairwise"
              ? await judgePair(s, input, tally, item, i, k, answer, baseline, references?.[i])
              : await judgeOne(s, input, tally, item, i, k, answer, references?.[i]);
          input.progress?.tick(detail.cached);
          return detail.detail;
        }),
      ),
    ),
  );
  input.progress?.stop();
  const score = details.map((row) => Float64Array.from(row, (d) => d.score));
  const judgeError = details.map((row) => Uint8Array.from(row, (d) => (d.judgeError ? 1 : 0)));
  const simulated = s.judges.some((j) => j.provider === "sim");
  const onInjection = s.config.onInjection ?? "flag";
  const summary = tally.summary({
    model: s.judges.map((j) => j.id).join("+"),
    mode,
    promptHash: s.protocol.promptHash,
    items,
    snapshots: s.judges.map((j) => input.caller.snapshotOf(j.id)),
    panel: s.panel,
    ...(mode === "pairwise" ? { orderSeed: s.seed } : {}),
    simulated,
    recorded: false,
    onInjection,
  });
  const candidates = models.map((m) => input.caller.specOf(m));
  const warnings = [...sharedFamilyWarnings(s.judges, candidates), ...tally.warnings(summary, answers)];
  const masks = tally.injectionMasks(items);
  return {
    score,
    judgeError,
    details,
    summary,
    warnings,
    simulated,
    injectionFlagged: masks.flagged,
    injectionExcludable: masks.excludable,
    onInjection,
  };
}

/**
 * The sim judge grades the last answer-like text of its prompt, and for numbers it reads the last
 * "#### n" line first: a bare-number reference in position B is skipped and the candidate graded
 * in both orders, which makes every pair a flip. Refused rather than reported as position bias.
 */
function refuseSimOnNumbers(s: Setup, items: readonly Item[]): void {
  const sim = s.judges.find((j) => j.provider === "sim");
  const numeric = items.find((item) => typeof item.expected === "number");
  if (!sim || !numeric) return;
  throw new InputError(
    s.ctx.file,
    "scorer.judge",
    `the simulated judge ${sim.id} cannot compare answers with a numeric reference (item "${numeric.id}"): it grades single answers`,
    'use type "judge-reference" (--judge-mode reference) with a sim judge, or a real judge for pairwise',
  );
}

function baselineIndex(s: Setup, models: readonly string[]): number | null {
  if (s.config.type !== "judge-pairwise" || typeof s.config.against !== "object") return null;
  const k = models.indexOf(s.config.against.model);
  if (k < 0) {
    throw new InputError(
      s.ctx.file,
      "scorer.against.model",
      `"${s.config.against.model}" is not a candidate of this eval`,
      `name one of ${models.join(", ")}: the baseline's answers are what the others are compared with`,
    );
  }
  return k;
}

/** One answer's verdict, and whether every judge outcome behind it came from the store. */
interface Judged {
  detail: JudgeItemDetail;
  cached: boolean;
}

const dialect = (judge: ModelSpec) => (judge.provider === "sim" ? ("sim" as const) : ("standard" as const));

function recordAsks(asks: AskOutcome[], candidate?: Position): JudgeItemDetail["asks"] {
  return asks.map((a) => ({
    judge: a.judge,
    ...(candidate ? { candidate } : {}),
    value: a.verdict
      ? "winner" in a.verdict && candidate
        ? orderValue(a.verdict.winner, candidate)
        : "grade" in a.verdict
          ? a.verdict.grade
          : null
      : null,
    hashes: a.results.map((r) => r.requestHash),
    repaired: a.verdict?.repaired ?? false,
    ...(a.error ? { error: a.error } : {}),
  }));
}

const allCached = (asks: AskOutcome[]) => asks.every((a) => a.results.every((r) => r.cached));

async function judgePair(
  s: Setup,
  input: JudgeRunInput,
  tally: JudgeTally,
  item: Item,
  i: number,
  k: number,
  answer: CallResult,
  baseline: number | null,
  reference: string | undefined,
): Promise<Judged> {
  if (answer.error) return skip(0, "answer-error");
  const model = input.models[k]!;
  const question = questionOf(item, input.requests[i]);
  tally.saw(item.id, "question", question);
  let refText: string;
  let baselineInjected = false;
  const parents = [answer.requestHash];
  if (baseline === null) {
    refText = reference!;
    tally.saw(item.id, "reference", refText);
  } else {
    const base = input.results[baseline]![i]!;
    const baseModel = input.models[baseline]!;
    baselineInjected = !base.error && tally.saw(item.id, `answer:${baseModel}`, base.text, question);
    if (baseline === k) return baselineInjected ? injected(tally, 0, "answer-injection") : skip(0.5, "baseline-itself");
    // The baseline failed on this item: no verdict, and not a free win for the candidate either.
    if (base.error) {
      tally.baselineFailed();
      return skip(0.5, "baseline-error");
    }
    refText = base.text;
    parents.push(base.requestHash);
  }
  // Text aimed at the judge is a loss for its author: judging it would reward the attempt, and
  // leaving the item out would let a candidate drop the items it is losing.
  if (tally.saw(item.id, `answer:${model}`, answer.text, question)) return injected(tally, 0, "answer-injection");
  if (baselineInjected) return injected(tally, 1, "baseline-injection");
  const lengthDiff = charLength(answer.text) - charLength(refText);
  if (answer.text.trim() === refText.trim()) {
    // Identical texts are a tie by definition; no judge is asked.
    tally.identical++;
    tally.pair({ score: 0.5, lengthDiff });
    tally.scored(item, answer.text, 0.5);
    return { detail: { score: 0.5, skipped: "identical", asks: [] }, cached: true };
  }
  const first = firstCandidatePosition(s.seed, item.id, model);
  const asked = await Promise.all(
    [first, otherPosition(first)].map(async (candidate) => {
      const [a, b] = candidate === "A" ? [answer.text, refText] : [refText, answer.text];
      const request = pairwiseRequest(s.protocol, question, a, b);
      const asks = await Promise.all(
        s.judges.map((j) => askJudge(input.caller, item, j.id, request, parents, s.protocol.shape, dialect(j))),
      );
      const values = asks.flatMap((x) =>
        x.verdict && "winner" in x.verdict ? [orderValue(x.verdict.winner, candidate)] : [],
      );
      const value = values.length > 0 ? combinePanel(values, s.panel ?? "majority", "pairwise") : null;
      return { candidate, value, asks };
    }),
  );
  const allAsks = asked.flatMap((o) => o.asks);
  tally.asked(allAsks);
  const recorded = asked.flatMap((o) => recordAsks(o.asks, o.candidate));
  const [o1, o2] = asked as [(typeof asked)[0], (typeof asked)[0]];
  if (o1.value === null || o2.value === null) {
    // One order without a verdict: a single order would bring back the position bias unmeasured.
    const reason = allAsks.find((a) => a.error)?.error ?? "no verdict";
    tally.failed(reason);
    return { detail: { score: 0, judgeError: reason, asks: recorded }, cached: allCached(allAsks) };
  }
  const score = pairScore(o1.value, o2.value);
  const orders = [
    { candidate: o1.candidate, value: o1.value },
    { candidate: o2.candidate, value: o2.value },
  ] as const;
  tally.pair({ score, orders, lengthDiff });
  tally.scored(item, answer.text, score);
  return { detail: { score, orders: [...orders], asks: recorded }, cached: allCached(allAsks) };
}

async function judgeOne(
  s: Setup,
  input: JudgeRunInput,
  tally: JudgeTally,
  item: Item,
  i: number,
  k: number,
  answer: CallResult,
  reference: string | undefined,
): Promise<Judged> {
  if (answer.error) return skip(0, "answer-error");
  const question = questionOf(item, input.requests[i]);
  tally.saw(item.id, "question", question);
  if (reference !== undefined) tally.saw(item.id, "reference", reference);
  if (tally.saw(item.id, `answer:${input.models[k]!}`, answer.text, question))
    return injected(tally, 0, "answer-injection");
  const request = gradingRequest(s.protocol, question, answer.text, reference);
  const asks = await Promise.all(
    s.judges.map((j) =>
      askJudge(input.caller, item, j.id, request, [answer.requestHash], s.protocol.shape, dialect(j)),
    ),
  );
  tally.asked(asks);
  const recorded = recordAsks(asks);
  const grades = asks.flatMap((x) => (x.verdict && "grade" in x.verdict ? [x.verdict.grade] : []));
  if (grades.length === 0) {
    const reason = asks.find((a) => a.error)?.error ?? "no verdict";
    tally.failed(reason);
    return { detail: { score: 0, judgeError: reason, asks: recorded }, cached: allCached(asks) };
  }
  const score = combinePanel(grades, s.panel ?? "majority", "grade");
  tally.grade(score, answer.text);
  tally.scored(item, answer.text, score);
  return { detail: { score, asks: recorded }, cached: allCached(asks) };
}

/** An answer (the candidate's, or the baseline's it is compared with) aimed at the judge: no call. */
function injected(tally: JudgeTally, score: number, why: "answer-injection" | "baseline-injection"): Judged {
  if (why === "answer-injection") tally.injectedAnswers++;
  return skip(score, why);
}

function skip(score: number, why: NonNullable<JudgeItemDetail["skipped"]>): Judged {
  return { detail: { score, skipped: why, asks: [] }, cached: true };
}
