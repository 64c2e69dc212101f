import type { JudgeSummary } from "../../contracts/judge-summary.ts";
import type { CallResult, Item } from "../../core/types.ts";
import type { ExactScorer } from "../scorer.ts";
import type { AskOutcome } from "./ask.ts";
import { flipRate, kappaVsExact, lengthCorrelation, type PairRecord, tieRate } from "./diagnostics.ts";
import { answerInjection, looksLikeInjection } from "./injection.ts";
import type { JudgeMode } from "./types.ts";

// What a judge run accumulates on the way (verdicts, lengths, judge outcomes, failures) and the
// summary and warnings made from it. Live and recorded judges share it, so both report the same
// diagnostics the same way.

/** Character count as users count characters (code points, not UTF-16 units). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export class JudgeTally {
  readonly pairs: PairRecord[] = [];
  private readonly grades: { score: number; length: number }[] = [];
  private readonly kappaJudge: number[] = [];
  private readonly kappaExact: boolean[] = [];
  /** Judge outcomes by request hash (a shared outcome is counted and costed once). */
  private readonly outcomes = new Map<string, CallResult>();
  /** Per item, each text the judge saw by source ("question", "reference", "answer:<model>"): aimed at it? */
  private readonly texts = new Map<string, Map<string, boolean>>();
  errors = 0;
  /** Answers scored as a loss for their author because they carry text aimed at the judge. */
  injectedAnswers = 0;
  /** Judged answers compared with an errored baseline answer (a tie, counted in `errors`). */
  baselineErrors = 0;
  judged = 0;
  identical = 0;
  repaired = 0;
  retried = 0;
  private firstError: string | undefined;

  constructor(private readonly agreeWith: ExactScorer | null) {}

  asked(asks: readonly AskOutcome[]): void {
    for (const a of asks) {
      for (const r of a.results) this.outcomes.set(r.requestHash, r);
      if (a.verdict?.repaired) this.repaired++;
      if (a.retried) this.retried++;
    }
  }

  /**
   * A text on its way to the judge (or that would be, but for an injection), checked once per item
   * and source. Returns whether it is aimed at the judge.
   */
  saw(itemId: string, source: string, text: string, question?: string): boolean {
    const bySource = this.texts.get(itemId) ?? new Map<string, boolean>();
    this.texts.set(itemId, bySource);
    const known = bySource.get(source);
    if (known !== undefined) return known;
    // An answer is judged on what it adds: text it repeats from the question is the dataset's.
    const flagged = question === undefined ? looksLikeInjection(text) : answerInjection(text, question) !== null;
    bySource.set(source, flagged);
    return flagged;
  }

  /** An errored baseline answer: no verdict (a judge error), the pair scores a tie. */
  baselineFailed(): void {
    this.baselineErrors++;
    this.errors++;
  }

  /** Items marked adversarial or with a text aimed at the judge, in item order, with where it was. */
  injections(items: readonly Item[]): { itemId: string; sources: string[] }[] {
    return items.flatMap((item) => {
      const sources = [...(this.texts.get(item.id) ?? new Map<string, boolean>()).entries()]
        .filter(([, flagged]) => flagged)
        .map(([source]) => source);
      if (item.metadata?.["adversarial"] === true) sources.unshift("metadata.adversarial");
      return sources.length ? [{ itemId: item.id, sources }] : [];
    });
  }

  /** Per item: any text flagged, and the dataset's own texts (question, reference) flagged. */
  injectionMasks(items: readonly Item[]): { flagged: Uint8Array; excludable: Uint8Array } {
    const flagged = new Uint8Array(items.length);
    const excludable = new Uint8Array(items.length);
    const found = new Map(this.injections(items).map((x) => [x.itemId, x.sources]));
    items.forEach((item, i) => {
      const sources = found.get(item.id);
      if (!sources) return;
      flagged[i] = 1;
      if (sources.some((s) => !s.startsWith("answer:"))) excludable[i] = 1;
    });
    return { flagged, excludable };
  }

  failed(reason: string): void {
    this.errors++;
    this.firstError ??= reason;
  }

  pair(record: PairRecord): void {
    this.pairs.push(record);
  }

  grade(score: number, answer: string): void {
    this.grades.push({ score, length: charLength(answer) });
  }

  /** One answer the judge scored: counted, and compared with the exact scorer where the item allows. */
  scored(item: Item, answer: string, score: number): void {
    this.judged++;
    if (!this.agreeWith || item.expected === undefined || item.expected === null) return;
    let pass: boolean;
    try {
      pass = this.agreeWith(answer, item).pass;
    } catch {
      // An expected value this exact scorer cannot read: no exact verdict to agree with.
      return;
    }
    this.kappaJudge.push(score);
    this.kappaExact.push(pass);
  }

  summary(meta: {
    model: string;
    mode: JudgeMode;
    promptHash: string;
    items: readonly Item[];
    snapshots?: string[];
    panel?: "majority" | "mean" | null;
    orderSeed?: string;
    simulated: boolean;
    recorded: boolean;
    onInjection?: "flag" | "exclude";
  }): JudgeSummary {
    const pairwise = meta.mode === "pairwise";
    const outcomes = [...this.outcomes.values()];
    const length = pairwise
      ? lengthCorrelation(
          this.pairs.map((p) => p.score),
          this.pairs.map((p) => p.lengthDiff),
        )
      : lengthCorrelation(
          this.grades.map((g) => g.score),
          this.grades.map((g) => g.length),
        );
    return {
      model: meta.model,
      mode: meta.mode,
      promptHash: meta.promptHash,
      calls: outcomes.length,
      costUsd: outcomes.reduce((sum, r) => sum + r.costUsd, 0),
      flipRate: pairwise ? flipRate(this.pairs) : null,
      tieRate: pairwise ? tieRate(this.pairs) : null,
      lengthCorrelation: length,
      kappaVsExact: this.kappaJudge.length > 0 ? kappaVsExact(this.kappaJudge, this.kappaExact) : null,
      injectionItems: this.injections(meta.items).map((x) => x.itemId),
      injection: {
        onInjection: meta.onInjection ?? "flag",
        items: this.injections(meta.items),
        answersScoredAsLoss: this.injectedAnswers,
        excluded: [],
      },
      ...(meta.snapshots ? { snapshots: meta.snapshots } : {}),
      panel: meta.panel ?? null,
      errors: this.errors,
      judged: this.judged,
      ...(pairwise ? { identicalPairs: this.identical } : {}),
      repaired: this.repaired,
      retried: this.retried,
      ...(meta.orderSeed ? { orderSeed: meta.orderSeed } : {}),
      kappaItems: this.kappaJudge.length,
      simulated: meta.simulated,
      recorded: meta.recorded,
    };
  }

  /** What a reader of the report must know about this judge's verdicts. */
  warnings(summary: JudgeSummary, answers: number): string[] {
    // The first note restates the judge's figures, so every report shows them in its notes.
    const out: string[] = [judgeLine(summary)];
    if (summary.simulated)
      out.push(
        `SIMULATED judge: ${summary.model} is the sim provider; its verdicts are no evidence about any real judge.`,
      );
    const failures = this.errors - this.baselineErrors;
    if (failures > 0)
      out.push(
        `judge: ${failures} of ${answers} answers got no verdict (${this.firstError}); they score 0 and are left out of the judge diagnostics.`,
      );
    if (this.baselineErrors > 0)
      out.push(
        `judge: ${this.baselineErrors} answers were compared with an errored baseline answer: no verdict, each scores a tie (0.5), counted in judge errors.`,
      );
    if (summary.flipRate !== null && summary.flipRate > 0.25)
      out.push(
        `judge: in ${pct(summary.flipRate)} of the pairs where both orders were decisive, the same position won both times (position bias); those pairs score as ties.`,
      );
    if (summary.lengthCorrelation !== null && Math.abs(summary.lengthCorrelation) >= 0.3)
      out.push(
        `judge: scores correlate with answer length (r = ${summary.lengthCorrelation.toFixed(2)}); check for length bias.`,
      );
    const inj = summary.injectionItems ?? [];
    if (inj.length > 0)
      out.push(
        `judge: ${inj.length} item(s) carry text aimed at the judge (${inj.slice(0, 5).join(", ")}${inj.length > 5 ? ", ..." : ""}); the prompt treats it as data; review their verdicts.${this.injectedAnswers ? ` ${this.injectedAnswers} answer(s) carrying it scored as a loss for their author.` : ""}`,
      );
    return out;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const num = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));

/** One line with who judged, what it cost and the docs/metrics.md#judge diagnostics. */
export function judgeLine(j: JudgeSummary): string {
  const cost = j.recorded
    ? "recorded verdicts, no calls"
    : `${j.calls} calls, $${j.costUsd.toFixed(4)} (the evaluation's own cost, not charged to any policy)`;
  return `judge ${j.model} (${j.mode}, prompt ${j.promptHash}): ${cost}; flip rate ${num(j.flipRate)}, tie rate ${num(j.tieRate)}, length r ${num(j.lengthCorrelation)}, kappa vs exact ${num(j.kappaVsExact)}${j.errors ? `, ${j.errors} judge errors` : ""}.`;
}
