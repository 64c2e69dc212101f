// Public entry of the scoring room: build scorers from eval-file config, name them for reports.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../core/errors.ts";
import type { Item } from "../core/types.ts";
import { reportedIssue } from "../core/unknown-keys.ts";
import { JudgeScorerConfig, type JudgeScorerType } from "./judge/config.ts";
import { judgeScorerName } from "./judge/scorer-name.ts";
import type { JudgeScorer } from "./judge/types.ts";
import {
  type AnyScorer,
  type AnyScorerConfig,
  type ExactScorer,
  ScorerConfig,
  ScorerConfigProblem,
  type ScorerType,
} from "./scorer.ts";
import { buildJudge, buildScorer, judgeTypes, scorerTypes } from "./scorer-registry.ts";

export { type ChoiceExtraction, choiceMatcher } from "./handlers/choice.ts";
export { type FieldF1, type JsonFieldResult, type JsonScoreDetails, jsonFieldF1 } from "./handlers/json.ts";
export { type LabelExtraction, labelMatcher } from "./handlers/label.ts";
export { normalizeText } from "./handlers/normalized.ts";
export { extractNumber } from "./handlers/numeric.ts";
export { extractJson } from "./json-extract.ts";
export { findNumbers, hashAnswer, type NumberToken, parseNumber, phraseAnswer, routellmAnswer } from "./numbers.ts";
export * from "./scorer.ts";
export { judgeRegistry, judgeTypes, scorerRegistry, scorerTypes } from "./scorer-registry.ts";

/** Where a scorer config was written, for error messages: the eval file and the config's field. */
export interface ScorerSource {
  /** Default "eval config". */
  file?: string;
  /** Default "scorer". */
  field?: string;
  /** Where judge template and rubric files are read from; default the eval file's folder, else the working directory. */
  baseDir?: string;
}

/**
 * Build a scorer. `config` is a type name with default options ("exact", "numeric") or a config
 * object; either is validated here, so values read from untyped files are safe to pass. Bad config
 * throws InputError (exit 2) naming `source.file` and the field (`scorer`, `scorer.tolerance`, ...).
 * Exact configs give a sync `ExactScorer`; judge configs (`judge-pairwise`, `judge-rubric`,
 * `judge-reference`, `judge-recorded`) an async `JudgeScorer`.
 */
export function createScorer(config: ScorerType | ScorerConfig, source?: ScorerSource): ExactScorer;
export function createScorer(config: JudgeScorerConfig, source?: ScorerSource): JudgeScorer;
export function createScorer(config: AnyScorerConfig | string, source?: ScorerSource): AnyScorer;
export function createScorer(config: AnyScorerConfig | string, source: ScorerSource = {}): AnyScorer {
  const file = source.file ?? "eval config";
  const field = source.field ?? "scorer";
  const type = typeof config === "string" ? config : isRecord(config) ? config["type"] : undefined;
  if (typeof type === "string" && isJudgeType(type)) return createJudge(config, type, source, file, field);
  const valid = validate(config, file, field);
  let score: ReturnType<typeof buildScorer>;
  try {
    score = buildScorer(valid.type, valid);
  } catch (err) {
    if (err instanceof ScorerConfigProblem) throw new InputError(file, `${field}.${err.field}`, err.problem, err.fix);
    throw err;
  }
  const scorer = (output: string, item: Item) => score(output, item);
  // A function's own `name` is read-only to assignment but configurable: redefine it for reports.
  Object.defineProperty(scorer, "name", { value: scorerName(valid) });
  return Object.assign(scorer, { kind: "exact" as const });
}

function createJudge(
  config: unknown,
  type: JudgeScorerType,
  source: ScorerSource,
  file: string,
  field: string,
): JudgeScorer {
  if (typeof config === "string") {
    throw new InputError(
      file,
      field,
      `scorer "${type}" needs options (at least the judge model)`,
      `write ${field} as ${JUDGE_EXAMPLES[type]}`,
    );
  }
  const parsed = JudgeScorerConfig.safeParse(config);
  if (!parsed.success) {
    const { path, message, fix } = reportedIssue(parsed.error, JudgeScorerConfig);
    const shape = `write ${field} as ${JUDGE_EXAMPLES[type]}`;
    throw new InputError(
      file,
      path === "(root)" ? field : `${field}.${path}`,
      message,
      fix ? `${fix}; ${shape}` : shape,
    );
  }
  const valid = parsed.data;
  let agreeWith: ExactScorer | null = null;
  if (valid.agreeWith !== undefined) {
    const agreeType = typeof valid.agreeWith === "string" ? valid.agreeWith : valid.agreeWith.type;
    if (isJudgeType(agreeType)) {
      throw new InputError(
        file,
        `${field}.agreeWith`,
        "agreeWith names a judge",
        "name an exact scorer (exact, label, numeric, ...)",
      );
    }
    agreeWith = createScorer(valid.agreeWith as ScorerConfig, { file, field: `${field}.agreeWith` });
  }
  const baseDir = source.baseDir ?? (existsSync(file) ? dirname(resolve(file)) : process.cwd());
  try {
    return buildJudge(valid.type, valid as never, { baseDir, file, agreeWith });
  } catch (err) {
    if (err instanceof ScorerConfigProblem) throw new InputError(file, `${field}.${err.field}`, err.problem, err.fix);
    throw err;
  }
}

const JUDGE_EXAMPLES: Record<JudgeScorerType, string> = {
  "judge-pairwise": '{ type: "judge-pairwise", judge: "openai:gpt-4o", against?: "reference" | { model: "..." } }',
  "judge-rubric":
    '{ type: "judge-rubric", judge: "openai:gpt-4o", scale?: "1-10" | "pass-fail", criteria?: [...], rubric?: "..." }',
  "judge-reference": '{ type: "judge-reference", judge: "openai:gpt-4o", scale?: "1-10" | "pass-fail" }',
  "judge-recorded":
    '{ type: "judge-recorded", judge: "gpt-4 single-v1", mode: "rubric", scores: { [itemId]: { [modelId]: 8 } } }',
};

const isJudgeType = (s: string): s is JudgeScorerType => (judgeTypes as readonly string[]).includes(s);

function validate(config: unknown, file: string, field: string): ScorerConfig {
  const valid = [...scorerTypes, ...judgeTypes].join(", ");
  const type = typeof config === "string" ? config : isRecord(config) ? config["type"] : undefined;
  if (typeof type !== "string" || !isScorerType(type)) {
    const where = typeof config === "string" || config === undefined ? field : `${field}.type`;
    const what = typeof type === "string" ? `unknown scorer "${type}"` : "the scorer has no type";
    throw new InputError(file, where, what, `use one of ${valid}`);
  }
  const parsed = ScorerConfig.safeParse(typeof config === "string" ? { type } : config);
  if (parsed.success) return parsed.data;
  const { path, message, fix } = reportedIssue(parsed.error, ScorerConfig);
  const problem = typeof config === "string" ? `scorer "${type}" needs options (${path}: ${message})` : message;
  const where = typeof config === "string" || path === "(root)" ? field : `${field}.${path}`;
  const shape = `write ${field} as ${example(type)}`;
  throw new InputError(file, where, problem, fix ? `${fix}; ${shape}` : shape);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isScorerType = (s: string): s is ScorerType => (scorerTypes as readonly string[]).includes(s);

const EXAMPLES: Record<ScorerType, string> = {
  exact: '"exact"',
  normalized: '"normalized"',
  label: '{ type: "label", labels: ["billing", "refund"], caseSensitive?: boolean }',
  numeric: '{ type: "numeric", tolerance?: 1e-6, relative?: number, extract?: "auto" | "hash" | "last" | "first" }',
  regex: '{ type: "regex", pattern: "^yes\\\\b", flags?: "i" }',
  json: '{ type: "json", schema?: z.object({...}), fields?: ["name"], tolerance?: number }',
  contains: '{ type: "contains", value?: string, caseSensitive?: boolean }',
  choice: '{ type: "choice", choices?: ["A", "B", "C", "D"] }',
};
function example(type: ScorerType): string {
  return EXAMPLES[type];
}

/**
 * A short, stable name for reports: the type alone for defaults ("exact", "numeric"), else the type
 * with its options sorted by key: `numeric(extract=hash,tolerance=0.01)`, `label(billing|refund)`,
 * `regex(/^yes/i)`, `numeric(routellmCompat)`, `json(fields=a|b,schema)`.
 */
export function scorerName(config: AnyScorerConfig | string): string {
  if (typeof config === "string") return config;
  if (isJudgeType(config.type)) return judgeScorerName(config as JudgeScorerConfig);
  if (config.type === "regex") return `regex(/${config.pattern}/${config.flags ?? ""})`;
  if (config.type === "label") {
    const cs = config.caseSensitive ? ",caseSensitive" : "";
    return `label(${config.labels.join("|")}${cs})`;
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b))) {
    if (key === "type" || value === undefined) continue;
    if (value === true) parts.push(key);
    else if (Array.isArray(value)) parts.push(`${key}=${value.join("|")}`);
    else if (typeof value === "object" && value !== null) parts.push(key);
    else parts.push(`${key}=${String(value)}`);
  }
  return parts.length > 0 ? `${config.type}(${parts.join(",")})` : config.type;
}
