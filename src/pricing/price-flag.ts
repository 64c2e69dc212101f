import { InputError } from "../core/errors.ts";
import { PriceBook } from "./price-book.ts";

// `routegate eval --price MODEL=input,output[,cachedInput]`: prices, USD per 1M tokens, for models
// the price table does not know (a replay model, a private deployment) or prices differently.

/** The source every --price row carries: summary.json's `priceTable.overrides` lists these rows. */
export const CLI_PRICE_SOURCE = "cli-override" as const;

export interface PriceOverride {
  model: string;
  input: number;
  output: number;
  cachedInput?: number;
}

const FIX = "write --price MODEL=INPUT,OUTPUT[,CACHED_INPUT] in USD per 1M tokens, e.g. --price my-model=0.15,0.60";

/** Parses every --price value; a malformed one is bad input (exit 2) naming the flag and the fix. */
export function parsePriceFlags(values: readonly string[]): PriceOverride[] {
  const seen = new Set<string>();
  return values.map((value) => {
    const eq = value.lastIndexOf("=");
    const model = eq > 0 ? value.slice(0, eq).trim() : "";
    if (!model) throw new InputError("command line", "--price", `"${value}" names no model`, FIX);
    const parts = value.slice(eq + 1).split(",");
    const numbers = parts.map((p) => (p.trim() === "" ? Number.NaN : Number(p)));
    if (parts.length < 2 || parts.length > 3 || numbers.some((n) => !Number.isFinite(n) || n < 0))
      throw new InputError(
        "command line",
        "--price",
        `"${value}": expected two or three prices (input, output, cached input), each a number >= 0`,
        FIX,
      );
    if (seen.has(model))
      throw new InputError("command line", "--price", `model "${model}" is priced twice`, "give one --price per model");
    seen.add(model);
    const [input, output, cachedInput] = numbers as [number, number, number | undefined];
    return { model, input, output, ...(cachedInput !== undefined ? { cachedInput } : {}) };
  });
}

/** `book` with the overrides as exact rows in front (they win over the table's rows for those names). */
export function withPriceOverrides(
  book: PriceBook,
  overrides: readonly PriceOverride[],
  today = new Date(),
): PriceBook {
  if (overrides.length === 0) return book;
  const date = today.toISOString().slice(0, 10);
  const rows = overrides.map((o) => ({
    ...o,
    match: "exact" as const,
    provider: "any",
    source: CLI_PRICE_SOURCE,
    date: date.slice(0, 7),
  }));
  return book.withOverrides(new PriceBook({ version: CLI_PRICE_SOURCE, date, rows }, "--price"));
}

/** The --price rows a book carries, as summary.json records them. */
export function priceOverridesOf(book: PriceBook): Array<PriceOverride & { source: typeof CLI_PRICE_SOURCE }> {
  return book.rows
    .filter((r) => r.source === CLI_PRICE_SOURCE)
    .map((r) => ({
      model: r.model,
      input: r.input,
      output: r.output,
      ...(r.cachedInput !== undefined ? { cachedInput: r.cachedInput } : {}),
      source: CLI_PRICE_SOURCE,
    }));
}
