import stringify from "safe-stable-stringify";
import type { Expected } from "../../core/types.ts";
import { pick, uniform } from "./sim-random.ts";

// What the sim writes: the expected answer in the format the item implies when it is right, a
// plausible wrong answer when it is not, and the reverse (does a text hold the right answer?)
// for simulated verifiers and judges.

export interface RenderStyle {
  /** Length multiplier (profile verbosity). */
  verbosity: number;
  /** Wrap JSON answers in a ```json fence. */
  fence: boolean;
  /** 0 easy .. 2 hard: longer worked solutions for harder items. */
  effort: number;
  /** Draw key: every choice below is a hash of it plus a purpose. */
  key: string;
}

const STEPS = [
  "Identify the quantities given in the problem.",
  "Write down what we need to find.",
  "Set up the calculation that connects them.",
  "Work out the intermediate amount first.",
  "Apply the remaining operation to that result.",
  "Check the units and that the result is reasonable.",
  "Combine the partial results.",
  "Double-check the arithmetic.",
];

const PROSE = [
  "Here is a clear answer to the question.",
  "The key idea is to separate what is known from what must be decided.",
  "In practice, the simplest approach that meets the requirements is usually the right one.",
  "It helps to consider the main trade-offs before committing to a choice.",
  "A short example makes the point concrete.",
  "Edge cases deserve a separate check.",
  "This also keeps the solution easy to maintain.",
  "In summary, the approach above answers the question directly.",
];

/**
 * Sentences only wrong open-ended answers contain: the sim judge recognises them, which is how a
 * simulated judge can grade simulated free text without an expected answer.
 */
export const SIM_SLIPS = [
  "This always holds in every case, without exception.",
  "The official documentation states the opposite, so the usual advice does not apply here.",
  "Therefore the result is the same regardless of the inputs.",
];

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4)));
}

function workedSolution(final: string, style: RenderStyle): string {
  const steps = Math.max(1, Math.round(style.verbosity * (1.5 + style.effort) + uniform(style.key, "steps")));
  const lines = ["Let's solve this step by step."];
  const start = Math.floor(uniform(style.key, "step-start") * STEPS.length);
  for (let i = 0; i < steps; i++) lines.push(`Step ${i + 1}: ${STEPS[(start + i) % STEPS.length]}`);
  lines.push(`So the answer is ${final}.`, `#### ${final}`);
  return lines.join("\n");
}

function prose(style: RenderStyle, slip: boolean): string {
  const n = Math.max(2, Math.round(style.verbosity * (2 + style.effort) + 2 * uniform(style.key, "prose-len")));
  const start = Math.floor(uniform(style.key, "prose-start") * PROSE.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(PROSE[(start + i) % PROSE.length]!);
  if (slip)
    out.splice(1 + Math.floor(uniform(style.key, "slip-at") * (n - 1)), 0, pick(SIM_SLIPS, uniform(style.key, "slip")));
  return out.join(" ");
}

function json(value: unknown, style: RenderStyle): string {
  const text = JSON.stringify(value);
  return style.fence ? `\`\`\`json\n${text}\n\`\`\`` : text;
}

/** The right answer, rendered: number -> worked solution ending `#### n`; object -> JSON; string -> itself. */
export function renderCorrect(expected: Expected | undefined, style: RenderStyle): string {
  if (expected === undefined) return prose(style, false);
  if (typeof expected === "number") return workedSolution(formatNumber(expected), style);
  if (typeof expected === "string") return expected;
  if (typeof expected === "boolean" || expected === null) return String(expected);
  return json(expected, style);
}

/** A plausible wrong answer in the same format (never equal to the expected one). */
export function renderWrong(
  expected: Expected | undefined,
  answerSpace: readonly Expected[],
  style: RenderStyle,
): string {
  if (expected === undefined) return prose(style, true);
  if (typeof expected === "number") return workedSolution(formatNumber(wrongNumber(expected, style.key)), style);
  if (typeof expected === "string") return wrongString(expected, answerSpace, style.key);
  if (typeof expected === "boolean") return String(!expected);
  if (expected === null) return "unknown";
  return json(corrupt(expected, answerSpace, style.key), style);
}

/** Typical slips: off by a step, a doubled/halved distractor, swapped digits. */
export function wrongNumber(n: number, key: string): number {
  const u = uniform(key, "slip-kind");
  const sign = uniform(key, "slip-sign") < 0.5 ? -1 : 1;
  let w: number;
  if (!Number.isInteger(n)) w = u < 0.5 ? Math.round(n) : Number((n * 1.1).toFixed(2));
  else if (u < 0.4) w = n + sign * (Math.abs(n) >= 20 ? 10 : 1);
  else if (u < 0.6) w = n + sign * Math.max(1, Math.round(Math.abs(n) * 0.1));
  else if (u < 0.8) w = uniform(key, "slip-half") < 0.5 && n % 2 === 0 ? n / 2 : n * 2;
  else {
    const digits = String(Math.abs(n));
    const swapped = digits.length >= 2 ? digits.slice(0, -2) + digits.at(-1) + digits.at(-2) : String(Math.abs(n) + 1);
    w = Math.sign(n || 1) * Number(swapped);
  }
  return w === n ? n + 1 : w;
}

function wrongString(expected: string, answerSpace: readonly Expected[], key: string): string {
  const others = answerSpace.filter((v): v is string => typeof v === "string" && v !== expected);
  if (others.length > 0) return pick(others, uniform(key, "wrong-pick"));
  return expected === "unknown" ? "none" : "unknown";
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(.*)$/;

function corruptValue(value: unknown, alternatives: unknown[], key: string): unknown {
  const other = alternatives.filter((v) => v !== undefined && stringify(v) !== stringify(value));
  if (value === null) return other.length > 0 ? pick(other, uniform(key, "fill")) : "unknown";
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return Number((value * 1.1 + 0.01).toFixed(2));
    // Off by about 10% for larger numbers, by one for small ones.
    if (Math.abs(value) >= 20) return value + Math.round(value * 0.1);
    return uniform(key, "num") < 0.5 ? value - 1 : value + 1;
  }
  if (typeof value === "boolean") return !value;
  if (typeof value === "string") {
    const date = DATE.exec(value);
    if (date) {
      const [, y, m, d, rest] = date;
      // Month and day swapped (a classic extraction slip); else the next day.
      if (m !== d && Number(d) <= 12) return `${y}-${d}-${m}${rest}`;
      return `${y}-${m}-${String((Number(d) % 28) + 1).padStart(2, "0")}${rest}`;
    }
    const strings = other.filter((v): v is string => typeof v === "string");
    if (strings.length > 0) return pick(strings, uniform(key, "str"));
    const words = value.split(" ");
    return words.length > 1 ? words.slice(0, -1).join(" ") : value ? null : "unknown";
  }
  if (Array.isArray(value)) return value.length > 0 ? value.slice(0, -1) : ["unknown"];
  if (typeof value === "object") return corrupt(value as Record<string, unknown>, [], key);
  return null;
}

/** The object with 1-2 fields corrupted (a number off, a date swapped, a null filled, ...). */
export function corrupt(
  expected: Record<string, unknown> | unknown[],
  answerSpace: readonly Expected[],
  key: string,
): unknown {
  if (Array.isArray(expected)) return corruptValue(expected, [], key);
  const keys = Object.keys(expected);
  if (keys.length === 0) return { answer: null };
  const out: Record<string, unknown> = { ...expected };
  const count = keys.length > 1 && uniform(key, "fields") < 0.4 ? 2 : 1;
  const start = Math.floor(uniform(key, "field") * keys.length);
  for (let i = 0; i < count; i++) {
    const k = keys[(start + i) % keys.length]!;
    const alternatives = answerSpace
      .filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v))
      .map((v) => v[k]);
    out[k] = corruptValue(expected[k], alternatives, `${key}:${k}`);
  }
  return stringify(out) === stringify(expected) ? { ...out, note: "unsure" } : out;
}

// ---- reading answers back (simulated verifiers and judges) ----

const FINAL = /####\s*(-?[\d,]*\.?\d+)/g;
const NUMBER = /-?\d[\d,]*(?:\.\d+)?/g;

function lastMatch(re: RegExp, text: string): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (const m of text.matchAll(re)) last = m;
  return last;
}

/** The last complete JSON object or array in `text` (fenced or not). */
export function lastJson(text: string): unknown {
  for (let end = text.length - 1; end >= 0; end--) {
    const close = text[end];
    if (close !== "}" && close !== "]") continue;
    const open = close === "}" ? "{" : "[";
    for (let start = text.lastIndexOf(open, end); start >= 0; start = text.lastIndexOf(open, start - 1)) {
      try {
        return JSON.parse(text.slice(start, end + 1));
      } catch {
        // keep widening
      }
      if (start === 0) break;
    }
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether `text` (a verifier's or judge's prompt embedding an answer) holds the expected answer,
 * judged by the last answer-like thing in it; undefined when the text gives nothing to go on.
 */
export function answerLooksCorrect(
  text: string,
  expected: Expected | undefined,
  answerSpace: readonly Expected[],
): boolean | undefined {
  if (expected === undefined) return !SIM_SLIPS.some((s) => text.includes(s));
  if (typeof expected === "number") {
    const m = lastMatch(FINAL, text)?.[1] ?? lastMatch(NUMBER, text)?.[0];
    return m === undefined ? undefined : Number(m.replaceAll(",", "")) === expected;
  }
  if (typeof expected === "boolean") {
    const m = lastMatch(/\b(true|false)\b/gi, text)?.[1];
    return m === undefined ? undefined : (m.toLowerCase() === "true") === expected;
  }
  if (typeof expected === "string") {
    const candidates = new Set([expected, ...answerSpace.filter((v): v is string => typeof v === "string")]);
    // The candidate whose last mention ends last; on a tie (one label inside another, "toxic" in
    // "not toxic") the longer one.
    let best: string | undefined;
    let bestEnd = -1;
    for (const c of candidates) {
      const m = lastMatch(new RegExp(`(?<![\\w])${escapeRegExp(c)}(?![\\w])`, "gi"), text);
      if (!m) continue;
      const end = m.index + m[0].length;
      if (end > bestEnd || (end === bestEnd && best !== undefined && c.length > best.length)) {
        best = c;
        bestEnd = end;
      }
    }
    return best === undefined ? false : best === expected;
  }
  if (expected === null) return undefined;
  const found = lastJson(text);
  return found === undefined ? false : stringify(found) === stringify(expected);
}
