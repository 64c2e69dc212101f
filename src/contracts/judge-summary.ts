import { z } from "zod";

// summary.json's `judge` section (a public contract, docs/architecture.md#contracts): who judged, with which
// prompt, what it cost, and how far its verdicts can be trusted (docs/metrics.md#judge). The first
// ten fields are the contract; the rest are optional extras that older readers may ignore.

export const JudgeSummary = z.object({
  /** The judge model id, or the panel's ids joined with "+" ("recorded: <name>" for recorded verdicts). */
  model: z.string(),
  /** pairwise (vs a reference or a baseline answer), rubric (single answer), reference (single answer with a known answer shown). */
  mode: z.enum(["pairwise", "rubric", "reference"]),
  /** Hash of the judging protocol: templates, rubric, criteria, scale, what is compared. */
  promptHash: z.string(),
  /** Judge requests this run used (from the store or live), retries included. */
  calls: z.number().int(),
  /** What the judging cost (priced like any outcome); never charged to a routing policy. */
  costUsd: z.number(),
  /** Pairs where both orders were decisive and the same position won / pairs where both were decisive. */
  flipRate: z.number().nullable(),
  /** Pairs scored 0.5 / all pairs (pairwise only). */
  tieRate: z.number().nullable(),
  /** Pearson r of item score with length (pairwise: candidate minus reference, in characters). */
  lengthCorrelation: z.number().nullable(),
  /** Cohen's kappa of judge pass (score >= 0.5) and exact pass, over items that have both. */
  kappaVsExact: z.number().nullable(),
  /** Items whose text tries to talk to the judge (metadata.adversarial, or detected), by id. */
  injectionItems: z.array(z.string()).optional(),
  /**
   * Text aimed at the judge, in detail (additive): the policy, each item with where the text was
   * ("question", "reference", "answer:<model>", "metadata.adversarial"), how many answers scored as
   * a loss for carrying it, the items "exclude" left out, and each policy's judged quality on the
   * reporting items with and without every flagged item.
   */
  injection: z
    .object({
      onInjection: z.enum(["flag", "exclude"]),
      items: z.array(z.object({ itemId: z.string(), sources: z.array(z.string()) })),
      answersScoredAsLoss: z.number().int(),
      excluded: z.array(z.string()),
      policies: z
        .array(
          z.object({
            id: z.string(),
            withFlagged: z.number().nullable(),
            withoutFlagged: z.number().nullable(),
            items: z.object({ withFlagged: z.number().int(), withoutFlagged: z.number().int() }),
          }),
        )
        .optional(),
    })
    .optional(),
  /** The judge models' resolved snapshots (what the cache key and the comparison check use). */
  snapshots: z.array(z.string()).optional(),
  /** How a panel of several judges combines verdicts; null for a single judge. */
  panel: z.enum(["majority", "mean"]).nullable().optional(),
  /** (model, item) answers the judge failed to score: they score 0 and are left out of the diagnostics. */
  errors: z.number().int().optional(),
  /** (model, item) answers the judge scored (judge errors excluded). */
  judged: z.number().int().optional(),
  /** Pairwise: pairs of identical texts, a tie without a judge call. */
  identicalPairs: z.number().int().optional(),
  /** Verdicts that needed a JSON repair, and requests asked again after an unparsable verdict. */
  repaired: z.number().int().optional(),
  retried: z.number().int().optional(),
  /** Seed of the order assignment (which order is asked first, per item). */
  orderSeed: z.string().optional(),
  /** Items compared by kappaVsExact. */
  kappaItems: z.number().int().optional(),
  /** True when a judge is the simulated provider: its verdicts are no evidence about real judges. */
  simulated: z.boolean().optional(),
  /** True when verdicts were replayed from records (real judges' past verdicts, no judge calls). */
  recorded: z.boolean().optional(),
});
export type JudgeSummary = z.infer<typeof JudgeSummary>;
