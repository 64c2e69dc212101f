// Reading an item's expected value for a scorer. A missing or wrongly shaped expected value is bad
// input (exit 2), never a silent 0: a dataset that cannot pass must not look like a weak model.
import { InputError } from "../core/errors.ts";
import type { Item } from "../core/types.ts";
import { itemLocation } from "../datasets/item-source.ts";

/** The InputError for an item whose expected value does not suit the scorer: the dataset file and line. */
export function badExpected(item: Item, scorer: string, problem: string, fix: string): InputError {
  const at = itemLocation(item, "expected");
  return new InputError(at.file, at.field, `${problem} (scorer "${scorer}")`, fix);
}

/**
 * Expected as a list of acceptable strings: a string, number or boolean gives one; an array of them
 * gives several (any may match). Anything else throws InputError.
 */
export function expectedStrings(item: Item, scorer: string): string[] {
  const e = item.expected;
  const scalar = (v: unknown): string | undefined =>
    typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
  if (Array.isArray(e)) {
    const out = e.map(scalar);
    if (out.length > 0 && out.every((s): s is string => s !== undefined)) return out;
  } else {
    const one = scalar(e);
    if (one !== undefined) return [one];
  }
  throw badExpected(
    item,
    scorer,
    e === undefined || e === null ? "the item has no expected value" : `expected is ${describe(e)}`,
    "give expected as a string or number (or a non-empty array of acceptable answers)",
  );
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length === 0 ? "an empty array" : "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}
