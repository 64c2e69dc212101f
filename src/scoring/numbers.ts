// Finding numbers in model output, the way a grader reads them.
//
// A number token is: an optional sign (only when it cannot be a subtraction: not right after a
// letter, digit or closing bracket), an optional currency symbol ($ EUR GBP), digits with optional
// comma thousands groups (exactly three digits per group: "1,234" is 1234, "1,2,3" is three numbers),
// an optional decimal part, and an optional exponent. "18." is 18 (the dot ends the sentence),
// "18.00" is 18, "$1,234.50" is 1234.5, "-3" is -3 but "16-3" is 16 and 3, "50%" is 50.
// Fractions: "a/b" written without spaces is read as one number a/b (so "1/2" is 0.5), because a
// final answer written as a fraction means its value; "48/2 = 24" still ends with 24. A decimal
// comma ("3,5") is not supported: it reads as 3 and 5.

export interface NumberToken {
  value: number;
  /** The text matched, e.g. "$1,234.50". */
  raw: string;
  /** Offset of the match in the text searched. */
  index: number;
}

// Digits first (a comma group needs exactly three digits and no digit after it), then an optional
// decimal part, exponent and "/denominator". A bare ".5" counts only after a non-word character.
const NUMBER =
  /(?:(?<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?<frac>\.\d+)?|(?<![\p{L}\p{N}_.])(?<bare>\.\d+))(?:[eE](?<exp>[-+]?\d+))?(?:\/(?<den>\d+)(?![\d.]\d))?/gu;

const CURRENCY = new Set(["$", "€", "£"]);
const MINUS = new Set(["-", "−", "–"]);
// A minus sign right after one of these is a subtraction or a hyphen ("16-3", "COVID-19"), not a sign.
const NOT_SIGN_AFTER = /[\p{L}\p{N}_)\]]/u;

/** Every number in the text, in order. */
export function findNumbers(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const g = m.groups ?? {};
    const digits = g["int"] !== undefined ? `${g["int"].replaceAll(",", "")}${g["frac"] ?? ""}` : `0${g["bare"] ?? ""}`;
    let value = Number(`${digits}${g["exp"] !== undefined ? `e${g["exp"]}` : ""}`);
    if (g["den"] !== undefined) {
      const den = Number(g["den"]);
      if (den === 0) continue;
      value /= den;
    }
    if (!Number.isFinite(value)) continue;
    // Look left for a currency symbol and a sign, in either order ("-$3", "$-3").
    let start = m.index;
    let negative = false;
    for (let step = 0; step < 2; step++) {
      const prev = text[start - 1];
      if (prev !== undefined && CURRENCY.has(prev)) start -= 1;
      else if (prev !== undefined && MINUS.has(prev) && !negative) {
        const before = text[start - 2];
        if (before !== undefined && NOT_SIGN_AFTER.test(before)) break;
        negative = true;
        start -= 1;
      } else break;
    }
    out.push({ value: negative ? -value : value, raw: text.slice(start, m.index + m[0].length), index: start });
  }
  return out;
}

/**
 * Parse a whole string as one number ("18", "$1,234.50", "-3", "1/2", " 18. "); undefined when the
 * string is not exactly one number (surrounding whitespace and a trailing period allowed).
 */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/\.$/, "");
  const tokens = findNumbers(trimmed);
  const only = tokens[0];
  if (tokens.length !== 1 || only === undefined) return undefined;
  return only.index === 0 && only.raw.length === trimmed.length ? only.value : undefined;
}

/**
 * The answer after the last GSM8K-style "####" marker: the first number on the marker's line
 * ("#### 18", "####$1,234", "#### The answer is 18"); undefined when there is no marker or no
 * number on its line.
 */
export function hashAnswer(text: string): NumberToken | undefined {
  const at = text.lastIndexOf("####");
  if (at < 0) return undefined;
  const from = at + 4;
  const eol = text.indexOf("\n", from);
  const line = text.slice(from, eol < 0 ? undefined : eol);
  const first = findNumbers(line)[0];
  return first ? { ...first, index: first.index + from } : undefined;
}

// "answer is 18", "Answer: $18", "final answer: **18**", "\\boxed{18}".
const ANSWER_PHRASE = /(?:\banswer\s*(?:is|:|=)|\\boxed\{)[\s*:]*/giu;

/**
 * The number right after the last explicit answer phrase ("the answer is 18", "Answer: $18",
 * "\\boxed{18}"); undefined when no phrase is directly followed by a number.
 */
export function phraseAnswer(text: string): NumberToken | undefined {
  let found: NumberToken | undefined;
  for (const m of text.matchAll(ANSWER_PHRASE)) {
    const from = m.index + m[0].length;
    const first = findNumbers(text.slice(from, from + 40))[0];
    if (first && first.index === 0) found = { ...first, index: first.index + from };
  }
  return found;
}

/**
 * RouteLLM's GSM8K reading (routellm/evals/gsm8k/generate_responses.py, get_answer_value): remove
 * commas, take the last run of ASCII digits, `ast.literal_eval` it (so "007" is invalid, "00" is 0).
 * Returns undefined where RouteLLM returns INVALID. BigInt, as Python ints are unbounded.
 */
export function routellmAnswer(text: string): bigint | undefined {
  // Python's \d is Unicode; literal_eval rejects non-ASCII digits and leading zeros.
  const runs = text.replaceAll(",", "").match(/\p{Nd}+/gu);
  const last = runs?.[runs.length - 1];
  if (last === undefined || !/^[0-9]+$/.test(last)) return undefined;
  if (last.length > 1 && last.startsWith("0") && /[1-9]/.test(last)) return undefined;
  return BigInt(last);
}
