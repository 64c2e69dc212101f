// json: parse a JSON object from the output (a ```json fence or surrounding prose is tolerated) and
// score the mean per-field accuracy against the expected object. Fields compare as follows:
// numbers within `tolerance` (a numeric string counts as its number), strings after trim, case
// folding and whitespace collapsing, booleans exactly (or "true"/"false"), null equals null and a
// missing field reads as null, arrays element-wise in order, objects key by key.
// details.valid: the output parsed to an object and, when a schema is given, matches it. A schema
// failure does not change the score (the fields still count); an unparsable output scores 0.
import { z } from "zod";
import { badExpected, describe } from "../expected.ts";
import { extractJson } from "../json-extract.ts";
import { parseNumber } from "../numbers.ts";
import type { JsonConfig, ScoreResult, Scorer } from "../scorer.ts";

export interface JsonFieldResult {
  correct: boolean;
  /** Expected value is null or absent. */
  expectedNull: boolean;
  /** Output's value is null or absent (or the output did not parse). */
  predictedNull: boolean;
}

export interface JsonScoreDetails {
  valid: boolean;
  parsed: boolean;
  fields: Record<string, JsonFieldResult>;
  reason?: string;
  schemaIssues?: string[];
}

const DEFAULT_TOLERANCE = 1e-6;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function jsonScorer(config: JsonConfig): Scorer {
  const tolerance = config.tolerance ?? DEFAULT_TOLERANCE;
  return (output, item): ScoreResult => {
    const expected = item.expected;
    if (!isObject(expected)) {
      throw badExpected(item, "json", `expected is ${describe(expected)}`, "give expected as a JSON object");
    }
    const fields = config.fields ?? Object.keys(expected);
    const extracted = extractJson(output);
    const parsed = extracted !== undefined && isObject(extracted.value) ? extracted.value : undefined;
    const results: Record<string, JsonFieldResult> = {};
    let correct = 0;
    for (const field of fields) {
      const want = getPath(expected, field);
      const got = parsed === undefined ? undefined : getPath(parsed, field);
      const ok = parsed !== undefined && sameValue(want, got, tolerance);
      if (ok) correct++;
      results[field] = { correct: ok, expectedNull: want == null, predictedNull: got == null };
    }
    const details: JsonScoreDetails = { valid: parsed !== undefined, parsed: parsed !== undefined, fields: results };
    if (parsed === undefined) {
      details.reason = extracted === undefined ? "no JSON found in the output" : "the JSON is not an object";
    } else if (config.schema) {
      const check = z.safeParse(config.schema, parsed);
      if (!check.success) {
        details.valid = false;
        details.schemaIssues = check.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      }
    }
    const score = parsed === undefined ? 0 : fields.length === 0 ? 1 : correct / fields.length;
    return { score, pass: details.valid && score === 1, details: { ...details } };
  };
}

/** A field by name, or by dot path ("address.city") when no key has the literal name. */
function getPath(obj: Obj, path: string): unknown {
  if (Object.hasOwn(obj, path)) return obj[path];
  let cur: unknown = obj;
  for (const key of path.split(".")) {
    if (!isObject(cur)) return undefined;
    cur = Object.hasOwn(cur, key) ? cur[key] : undefined;
  }
  return cur;
}

const normText = (s: string) => s.normalize("NFKC").trim().replace(/\s+/gu, " ").toLowerCase();

function sameValue(want: unknown, got: unknown, tol: number): boolean {
  if (want == null || got == null) return want == null && got == null;
  if (typeof want === "number" || typeof got === "number") {
    const a = typeof want === "number" ? want : typeof want === "string" ? parseNumber(want) : undefined;
    const b = typeof got === "number" ? got : typeof got === "string" ? parseNumber(got) : undefined;
    return a !== undefined && b !== undefined && Math.abs(a - b) <= tol;
  }
  if (typeof want === "boolean" || typeof got === "boolean") {
    return String(want).trim().toLowerCase() === String(got).trim().toLowerCase();
  }
  if (typeof want === "string" && typeof got === "string") return normText(want) === normText(got);
  if (Array.isArray(want) && Array.isArray(got)) {
    return want.length === got.length && want.every((w, i) => sameValue(w, got[i], tol));
  }
  if (isObject(want) && isObject(got)) {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
    return [...keys].every((k) => sameValue(want[k], got[k], tol));
  }
  return false;
}

export interface FieldF1 {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Micro precision/recall/F1 over non-null fields across items (extraction-style): a field is a true
 * positive when expected is non-null and the output's value is correct; a false positive when the
 * output gives a non-null value that is not a true positive; a false negative when expected is
 * non-null and not a true positive (a wrong non-null value is both FP and FN). Null-vs-null fields
 * count nowhere. A ratio with a zero denominator is 0 (as scikit-learn's zero_division default).
 * Throws if a result was not produced by the json scorer.
 */
export function jsonFieldF1(results: ReadonlyArray<ScoreResult>): FieldF1 {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  results.forEach((r, i) => {
    const fields = r.details?.["fields"];
    if (!isObject(fields)) throw new Error(`jsonFieldF1: result ${i} has no json field details`);
    for (const [name, f] of Object.entries(fields)) {
      if (!isFieldResult(f)) throw new Error(`jsonFieldF1: result ${i} field "${name}" is not a json field result`);
      const hit = f.correct && !f.expectedNull;
      if (hit) tp++;
      if (!f.predictedNull && !hit) fp++;
      if (!f.expectedNull && !hit) fn++;
    }
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

function isFieldResult(v: unknown): v is JsonFieldResult {
  return (
    isObject(v) &&
    typeof v["correct"] === "boolean" &&
    typeof v["expectedNull"] === "boolean" &&
    typeof v["predictedNull"] === "boolean"
  );
}
