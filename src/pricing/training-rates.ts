import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatPath, InputError } from "../core/errors.ts";
import { prefixMatches } from "./price-book.ts";
import table from "./training-prices.json" with { type: "json" };

// Training (fine-tuning) rates: USD per 1M trained tokens, by base model, each row with its source
// and the month it was read. Providers bill trained tokens = tokens in the training file x epochs
// (OpenAI's job object reports that product as `trained_tokens`; it reports no dollars), so
//   training cost = file tokens x epochs x trainingPer1M / 1e6 (estimate, before the job)
//                 = trained_tokens x trainingPer1M / 1e6 (actual, from the finished job).

export const TrainingRow = z.strictObject({
  /** The base model name as the provider's fine-tuning API takes it (`gpt-4.1-mini-2025-04-14`). */
  base: z.string().min(1),
  match: z.enum(["exact", "prefix"]),
  provider: z.string().min(1),
  trainingPer1M: z.number().nonnegative(),
  source: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}$/, "expected YYYY-MM"),
  uncertain: z.boolean().optional(),
  note: z.string().optional(),
});
export type TrainingRow = z.infer<typeof TrainingRow>;

export const TrainingTable = z.strictObject({
  version: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD"),
  rows: z.array(TrainingRow),
});
export type TrainingTable = z.infer<typeof TrainingTable>;

export class TrainingRates {
  readonly version: string;
  private readonly rows: TrainingRow[];

  constructor(input: unknown, label = "training price table") {
    const parsed = TrainingTable.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(
        label,
        formatPath(issue.path),
        issue.message,
        'a training price table is {"version", "date", "rows": [{"base", "match", "provider", "trainingPer1M", "source", "date": "YYYY-MM"}]}',
      );
    }
    this.version = parsed.data.version;
    // Exact rows first, then the longest prefix: the most specific row wins.
    this.rows = [...parsed.data.rows].sort(
      (a, b) => Number(b.match === "exact") - Number(a.match === "exact") || b.base.length - a.base.length,
    );
  }

  static fromFile(file: string): TrainingRates {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new InputError(
        file,
        undefined,
        `cannot read the training price table (${(err as Error).message})`,
        "give a JSON file",
      );
    }
    return new TrainingRates(json, file);
  }

  /** The row that prices training `base`, or undefined. */
  rowFor(base: string): TrainingRow | undefined {
    return this.rows.find((r) => (r.match === "exact" ? r.base === base : prefixMatches(r.base, base)));
  }

  /** The row for `base`; an InputError naming the fix when there is none (never a silent zero). */
  require(base: string, where: string): TrainingRow {
    const row = this.rowFor(base);
    if (row) return row;
    throw new InputError(
      where,
      undefined,
      `no training rate for base model "${base}" in training price table ${this.version}`,
      "pick a base model the table lists, or pass --training-prices FILE with a row for it (USD per 1M trained tokens, with source and date)",
    );
  }
}

/** USD for `trainedTokens` (file tokens x epochs) at a row's rate. */
export function trainingCostUsd(trainedTokens: number, row: TrainingRow): number {
  return (trainedTokens * row.trainingPer1M) / 1e6;
}

let defaultRates: TrainingRates | undefined;

/** The training rates shipped with routegate (src/pricing/training-prices.json). */
export function defaultTrainingRates(): TrainingRates {
  defaultRates ??= new TrainingRates(table, "src/pricing/training-prices.json");
  return defaultRates;
}
