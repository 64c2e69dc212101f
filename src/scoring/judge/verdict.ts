import { z } from "zod";
import { jsonrepair } from "../../core/lazy-modules.ts";
import { matchingBrace } from "../json-extract.ts";

// Reading a judge's reply. The reply must hold exactly one verdict object of the expected shape
// (zod-checked); JSON inside prose or a ```json fence is found, broken JSON is repaired with
// jsonrepair, and a reply whose verdicts disagree ("{"score": 10} ... {"score": 2}") is refused
// rather than guessed: a judge talked into printing a second verdict must not get to pick one.

/** What a judge is asked to return. */
export type VerdictShape =
  | { kind: "pairwise" }
  | { kind: "score" }
  | { kind: "pass-fail" }
  | { kind: "criteria"; names: readonly string[] };

/**
 * "standard": the JSON the prompt asks for. "sim": the simulated provider's judge reply
 * `{"verdict": "pass" | "fail", "confidence"}`, which grades the last answer in the prompt (see
 * fromSimVerdict); used only for sim judges.
 */
export type Dialect = "standard" | "sim";

export type ParsedVerdict =
  | { ok: true; winner: "A" | "B" | "tie"; repaired: boolean }
  | { ok: true; grade: number; repaired: boolean }
  | { ok: false; problem: string };

const Winner = z.preprocess(
  (v) => (typeof v === "string" ? normaliseWinner(v) : v),
  z.enum(["A", "B", "tie"], { message: 'winner must be "A", "B" or "tie"' }),
);
const Score = z.preprocess(
  (v) => (typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
  z.number({ message: "score must be a number" }).min(1, "score must be 1 to 10").max(10, "score must be 1 to 10"),
);
const PassFail = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : typeof v === "boolean" ? (v ? "pass" : "fail") : v),
  z.enum(["pass", "fail"], { message: 'verdict must be "pass" or "fail"' }),
);

export const PairwiseVerdict = z.looseObject({ winner: Winner });
export const ScoreVerdict = z.looseObject({ score: Score });
export const PassFailVerdict = z.looseObject({ verdict: PassFail });
export const CriteriaVerdict = z.looseObject({ criteria: z.record(z.string(), PassFail) });

function normaliseWinner(raw: string): string {
  const s = raw
    .trim()
    .replace(/^["'`]|["'`]$/g, "")
    .replace(/^(answer|assistant|response)\s+/i, "");
  if (/^a$/i.test(s)) return "A";
  if (/^b$/i.test(s)) return "B";
  if (/^(tie|draw|equal|both|neither)$/i.test(s)) return "tie";
  return s;
}

/** The verdict in a judge's reply, or why there is none. */
export function parseVerdict(text: string, shape: VerdictShape, dialect: Dialect = "standard"): ParsedVerdict {
  const found = jsonValues(text);
  if (found.values.length === 0) return { ok: false, problem: "no JSON object in the reply" };
  const verdicts: Exclude<ParsedVerdict, { ok: false }>[] = [];
  let lastProblem = "";
  for (const raw of found.values) {
    const value = dialect === "sim" ? fromSimVerdict(raw, shape) : raw;
    const v = readShape(value, shape, found.repaired);
    if (v.ok) verdicts.push(v);
    else lastProblem = v.problem;
  }
  const first = verdicts[0];
  if (!first) return { ok: false, problem: lastProblem };
  const same = verdicts.every((v) => key(v) === key(first));
  if (!same) return { ok: false, problem: `the reply holds ${verdicts.length} conflicting verdicts` };
  return first;
}

const key = (v: Exclude<ParsedVerdict, { ok: false }>) => ("winner" in v ? v.winner : String(v.grade));

function readShape(value: unknown, shape: VerdictShape, repaired: boolean): ParsedVerdict {
  const fail = (error: z.ZodError): ParsedVerdict => ({ ok: false, problem: error.issues[0]?.message ?? "invalid" });
  switch (shape.kind) {
    case "pairwise": {
      const r = PairwiseVerdict.safeParse(value);
      return r.success ? { ok: true, winner: r.data.winner, repaired } : fail(r.error);
    }
    case "score": {
      const r = ScoreVerdict.safeParse(value);
      return r.success ? { ok: true, grade: (r.data.score - 1) / 9, repaired } : fail(r.error);
    }
    case "pass-fail": {
      const r = PassFailVerdict.safeParse(value);
      return r.success ? { ok: true, grade: r.data.verdict === "pass" ? 1 : 0, repaired } : fail(r.error);
    }
    case "criteria": {
      const r = CriteriaVerdict.safeParse(value);
      if (!r.success) return fail(r.error);
      const missing = shape.names.filter((n) => r.data.criteria[n] === undefined);
      if (missing.length > 0) return { ok: false, problem: `criterion "${missing[0]}" is not graded` };
      const passed = shape.names.filter((n) => r.data.criteria[n] === "pass").length;
      return { ok: true, grade: passed / shape.names.length, repaired };
    }
  }
}

/**
 * The sim's judge grades only the answer shown last (answer B, or the single answer): pass means
 * it looks right. Pairwise, that reads as "B wins" (pass) or "A wins" (fail), so a sim judge can
 * never call a tie and its mistakes show up as position flips; on a 1-10 scale pass is 10, fail 1;
 * with criteria, every criterion gets the one verdict.
 */
export function fromSimVerdict(value: unknown, shape: VerdictShape): unknown {
  const r = PassFailVerdict.safeParse(value);
  if (!r.success || shape.kind === "pass-fail") return value;
  const pass = r.data.verdict === "pass";
  switch (shape.kind) {
    case "pairwise":
      return { winner: pass ? "B" : "A" };
    case "score":
      return { score: pass ? 10 : 1 };
    case "criteria":
      return { criteria: Object.fromEntries(shape.names.map((n) => [n, r.data.verdict])) };
  }
}

/** JSON values in a reply: the whole reply, else every top-level {...} block, else a jsonrepair of it. */
export function jsonValues(text: string): { values: unknown[]; repaired: boolean } {
  const body = stripFence(text.trim());
  const whole = tryParse(body);
  if (whole.ok) return { values: [whole.value], repaired: false };
  const blocks = topLevelObjects(text);
  if (blocks.length > 0) return { values: blocks, repaired: false };
  const start = body.indexOf("{");
  if (start < 0) return { values: [], repaired: false };
  try {
    const fixed = tryParse(jsonrepair(body.slice(start)));
    if (fixed.ok && typeof fixed.value === "object" && fixed.value !== null)
      return { values: [fixed.value], repaired: true };
  } catch {
    // jsonrepair gives up on text it cannot read as JSON: no verdict.
  }
  return { values: [], repaired: false };
}

function stripFence(text: string): string {
  const m = /^```[\w-]*[^\S\n]*\n?([\s\S]*?)\n?```$/.exec(text);
  return m ? (m[1] ?? "").trim() : text;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Every balanced top-level {...} block that parses (braces inside JSON strings are skipped). */
function topLevelObjects(text: string): unknown[] {
  const out: unknown[] = [];
  let from = 0;
  for (let start = text.indexOf("{", from); start >= 0; start = text.indexOf("{", from)) {
    const end = matchingBrace(text, start);
    const parsed = end < 0 ? { ok: false as const } : tryParse(text.slice(start, end + 1));
    if (parsed.ok) {
      out.push(parsed.value);
      from = end + 1;
    } else from = start + 1;
  }
  return out;
}
