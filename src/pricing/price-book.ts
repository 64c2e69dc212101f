import { readFileSync } from "node:fs";
import { z } from "zod";
import { type ModelSpec, TokenPricing } from "../contracts/model-spec.ts";
import { formatPath, InputError } from "../core/errors.ts";
import { gpuTokenPricing } from "./gpu-pricing.ts";
import type { PriceQuote } from "./price-quote.ts";
import table from "./prices.json" with { type: "json" };

// The versioned price table (USD per 1M tokens). Cost is always recomputed from usage and this
// table at evaluation time (docs/metrics.md#cost); summary.json records `version` and `date`.

export const PriceRow = TokenPricing.extend({
  /** The provider's model name (or a sim id such as "sim:cheap"). */
  model: z.string().min(1),
  /**
   * "exact": only this name. "prefix": this name and its dated snapshots, i.e. the name followed by
   * `-` and a date/version tag (`gpt-4o-2024-08-06`, `claude-3-5-haiku-20241022`, `ministral-8b-2410`,
   * `gemini-1.5-flash-002`, `...-latest`). A variant such as `gemini-2.0-flash-lite` or
   * `gpt-4o-audio-preview` never silently takes its family's price: it needs its own row.
   */
  match: z.enum(["exact", "prefix"]),
  provider: z.string().min(1),
  source: z.string().min(1),
  /** Month the price was read, YYYY-MM. */
  date: z.string().regex(/^\d{4}-\d{2}$/, "expected YYYY-MM"),
  /** A cell the source marks as unverified ("?" in notes/pricing.md). */
  uncertain: z.boolean().optional(),
  note: z.string().optional(),
});
export type PriceRow = z.infer<typeof PriceRow>;

export const PriceTable = z
  .strictObject({
    version: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD"),
    rows: z.array(PriceRow),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.rows.forEach((row, i) => {
      const key = `${row.match}:${row.model}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["rows", i, "model"], message: `duplicate ${key}` });
      seen.add(key);
    });
  });
export type PriceTable = z.infer<typeof PriceTable>;

/** Where a lookup failure is reported: the eval/models file and the field. */
export interface PriceLookupSite {
  file?: string;
  where?: string;
}

export interface PriceForOptions {
  /** A self-hosted model's output throughput measured in the run (see measuredThroughput). */
  measuredOutputTokensPerSec?: number;
}

/**
 * The base model of a fine-tuned model's name: OpenAI names fine-tunes
 * `ft:BASE:ORG:SUFFIX:ID` (`ft:gpt-4.1-mini-2025-04-14:org::abc`). Undefined for other names.
 */
export function fineTunedBase(model: string): string | undefined {
  if (!model.startsWith("ft:")) return undefined;
  const base = model.split(":")[1];
  return base ? base : undefined;
}

// A dated snapshot or version tag after the family name: -2024-08-06, -20241022, -0125, -2411, -002, -latest.
const SNAPSHOT_SUFFIX = /^-(?:\d{2,8}(?:-\d{2}){0,2}|latest)$/;

/** True when `name` is `prefix` or one of its dated snapshots (see PriceRow.match). */
export function prefixMatches(prefix: string, name: string): boolean {
  return name === prefix || (name.startsWith(prefix) && SNAPSHOT_SUFFIX.test(name.slice(prefix.length)));
}

function quote(row: PriceRow): PriceQuote {
  const { model: _m, match: _k, provider: _p, date: _d, ...pricing } = row;
  return pricing;
}

export class PriceBook {
  readonly version: string;
  readonly date: string;
  readonly rows: readonly PriceRow[];
  private readonly exact = new Map<string, PriceRow>();
  private readonly prefixes: PriceRow[];

  /** Validates `input` as a price table; `label` names it in error messages (a file path). */
  constructor(input: unknown, label = "price table") {
    const parsed = PriceTable.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(
        label,
        formatPath(issue.path),
        issue.message,
        'a price table is {"version", "date": "YYYY-MM-DD", "rows": [{"model", "match": "exact"|"prefix", "provider", "input", "output", "source", "date": "YYYY-MM", ...}]} with USD per 1M tokens',
      );
    }
    this.version = parsed.data.version;
    this.date = parsed.data.date;
    this.rows = parsed.data.rows;
    for (const row of this.rows) if (row.match === "exact") this.exact.set(row.model, row);
    // Longest prefix first, so the first match is the most specific.
    this.prefixes = this.rows.filter((r) => r.match === "prefix").sort((a, b) => b.model.length - a.model.length);
  }

  /** Reads a price table (or a user overrides file) from a JSON file. */
  static fromFile(file: string): PriceBook {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new InputError(file, undefined, `cannot read price table (${(err as Error).message})`, "give a JSON file");
    }
    return new PriceBook(json, file);
  }

  /**
   * A book whose rows are `overrides`' rows plus this book's rows that `overrides` does not
   * redefine (same model and match). The version joins both; the date is the later one.
   */
  withOverrides(overrides: PriceBook): PriceBook {
    const redefined = new Set(overrides.rows.map((r) => `${r.match}:${r.model}`));
    return new PriceBook({
      version: `${this.version}+${overrides.version}`,
      date: [this.date, overrides.date].sort()[1], // the later of the two (ISO dates sort as text)
      rows: [...overrides.rows, ...this.rows.filter((r) => !redefined.has(`${r.match}:${r.model}`))],
    });
  }

  /** The row that prices `name`, exact rows first, then the longest prefix row; undefined if none. */
  rowFor(name: string): PriceRow | undefined {
    return this.exact.get(name) ?? this.prefixes.find((r) => prefixMatches(r.model, name));
  }

  /**
   * Pricing for a model: the spec's own `pricing` (or `gpuPricing`, converted per token) wins;
   * then an exact row for `spec.model`, for `provider:model` and for `spec.id`; then, for a
   * fine-tuned model, the fine-tuned row of its base (`ft:BASE`, exact or prefix; the base read from
   * an `ft:` name or from `spec.fineTune.baseModel`): fine-tuned inference is priced apart and never
   * silently at the base price; then the longest prefix row for `spec.model`, then for `spec.id`.
   * An unknown model is an InputError, never a silent zero.
   */
  priceFor(spec: ModelSpec, site: PriceLookupSite = {}, opts: PriceForOptions = {}): PriceQuote {
    const file = site.file ?? "models";
    if (spec.pricing && spec.gpuPricing) {
      throw new InputError(
        file,
        site.where ?? "models[].gpuPricing",
        `model ${spec.id} has both pricing and gpuPricing`,
        "keep one: pricing (USD per 1M tokens) for an API, gpuPricing (GPU-hours) for a self-hosted model",
      );
    }
    if (spec.pricing) return { ...spec.pricing, source: `pricing in the model spec of ${spec.id}` };
    if (spec.gpuPricing) {
      try {
        return gpuTokenPricing(spec.gpuPricing, opts.measuredOutputTokensPerSec);
      } catch (err) {
        throw new InputError(
          file,
          site.where ?? "models[].gpuPricing",
          `model ${spec.id}: ${(err as Error).message}`,
          "add gpuPricing.outputTokensPerSec (the deployment's output tokens per second at full load)",
        );
      }
    }
    const names = [spec.model, `${spec.provider}:${spec.model}`, spec.id];
    for (const name of names) {
      const row = this.exact.get(name);
      if (row) return quote(row);
    }
    const base = fineTunedBase(spec.model) ?? spec.fineTune?.baseModel;
    if (base) {
      const row = this.rowFor(`ft:${base}`);
      if (row) return quote(row);
    }
    for (const name of names) {
      const row = this.prefixes.find((r) => prefixMatches(r.model, name));
      if (row) return quote(row);
    }
    throw new InputError(
      file,
      site.where ?? "models[].pricing",
      `no price for model "${spec.model}" (${spec.id}) in price table ${this.version}${base ? ` (no fine-tuned row ft:${base} either)` : ""}`,
      "add `pricing: {input, output}` (USD per 1M tokens) to the model spec or a row to the price table",
    );
  }
}

let defaultBook: PriceBook | undefined;

/** The price table shipped with routegate (src/pricing/prices.json). */
export function defaultPriceBook(): PriceBook {
  defaultBook ??= new PriceBook(table, "src/pricing/prices.json");
  return defaultBook;
}
