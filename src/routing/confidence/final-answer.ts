import { parseJsonOutput } from "../json-output.ts";

// What "the answer" of a free-text output is, for agreement between models and for verifiers:
// a JSON value when the output is JSON, else the final number of a worked solution, else the
// normalised text. Deliberately generic: no dataset's format is assumed beyond common markers.

const NUMBER = /-?\$?\d[\d,]*(?:\.\d+)?/g;
/** Markers models put before a final answer: GSM8K's "####", "the answer is", LaTeX \boxed{}. */
const MARKERS = [/####\s*([^\n]*)/g, /answer is[:\s]*([^\n]*)/gi, /\\boxed\{([^}]*)\}/g];

/** The number a worked solution ends with, preferring an explicit final-answer marker. */
export function finalNumber(text: string): { value: number; marked: boolean } | null {
  for (const marker of MARKERS) {
    const hits = [...text.matchAll(marker)];
    for (let h = hits.length - 1; h >= 0; h--) {
      const n = firstNumber(hits[h]![1] ?? "");
      if (n !== null) return { value: n, marked: true };
    }
  }
  const all = [...text.matchAll(NUMBER)];
  const last = all.at(-1);
  if (!last) return null;
  const value = toNumber(last[0]);
  return value === null ? null : { value, marked: false };
}

function firstNumber(text: string): number | null {
  const m = text.match(/-?\$?\d[\d,]*(?:\.\d+)?/);
  return m ? toNumber(m[0]) : null;
}

export function toNumber(raw: string): number | null {
  const value = Number(raw.replace(/[$,]/g, ""));
  return Number.isFinite(value) ? value : null;
}

/** A comparable key for an output's answer: equal keys mean the two outputs give the same answer. */
export function answerKey(text: string): string {
  const trimmed = text.trim();
  const json =
    trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed.startsWith("```")
      ? parseJsonOutput(trimmed)
      : undefined;
  if (json !== undefined) return `json:${stableStringify(json)}`;
  // A short answer is a label or a value: compare it as text. A longer one is a worked solution:
  // compare its final number (marked, or else the last one written).
  const short = trimmed.split(/\s+/).length <= 4;
  const n = finalNumber(trimmed);
  if (n !== null && (n.marked || !short || /^[-$\d.,\s]+$/.test(trimmed))) return `num:${n.value}`;
  return `text:${trimmed
    .toLowerCase()
    .replace(/[\s"'`.]+/g, " ")
    .trim()}`;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
