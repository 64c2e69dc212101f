// Public entry of the scoring room: build scorers from eval-file config, name them for reports.
import { formatPath, InputError } from "../core/errors.ts";
import type { Item } from "../core/types.ts";
import { type ExactScorer, ScorerConfig, ScorerConfigProblem, type ScorerType } from "./scorer.ts";
import { buildScorer, scorerTypes } from "./table.ts";

export { type ChoiceExtraction, choiceMatcher } from "./handlers/choice.ts";
export { type FieldF1, type JsonFieldResult, type JsonScoreDetails, jsonFieldF1 } from "./handlers/json.ts";
export { type LabelExtraction, labelMatcher } from "./handlers/label.ts";
export { normalizeText } from "./handlers/normalized.ts";
export { extractNumber } from "./handlers/numeric.ts";
export { extractJson } from "./json-extract.ts";
export { findNumbers, hashAnswer, type NumberToken, parseNumber, phraseAnswer, routellmAnswer } from "./numbers.ts";
export * from "./scorer.ts";
export { scorerTable, scorerTypes } from "./table.ts";

/** Where a scorer config was written, for error messages: the eval file and the config's field. */
export interface ScorerSource {
  /** Default "eval config". */
  file?: string;
  /** Default "scorer". */
  field?: string;
}

/**
 * Build a scorer. `config` is a type name with default options ("exact", "numeric") or a config
 * object; either is validated here, so values read from untyped files are safe to pass. Bad config
 * throws InputError (exit 2) naming `source.file` and the field (`scorer`, `scorer.tolerance`, ...).
 */
export function createScorer(config: ScorerConfig | string, source: ScorerSource = {}): ExactScorer {
  const file = source.file ?? "eval config";
  const field = source.field ?? "scorer";
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

function validate(config: unknown, file: string, field: string): ScorerConfig {
  const valid = scorerTypes.join(", ");
  const type = typeof config === "string" ? config : isRecord(config) ? config["type"] : undefined;
  if (typeof type !== "string" || !isScorerType(type)) {
    const where = typeof config === "string" || config === undefined ? field : `${field}.type`;
    const what = typeof type === "string" ? `unknown scorer "${type}"` : "the scorer has no type";
    throw new InputError(file, where, what, `use one of ${valid}`);
  }
  const parsed = ScorerConfig.safeParse(typeof config === "string" ? { type } : config);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? formatPath(issue.path) : "(root)";
  const problem =
    typeof config === "string"
      ? `scorer "${type}" needs options (${issue ? `${path}: ${issue.message}` : "invalid"})`
      : (issue?.message ?? "invalid scorer config");
  const where = typeof config === "string" || path === "(root)" ? field : `${field}.${path}`;
  throw new InputError(file, where, problem, `write ${field} as ${example(type)}`);
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
export function scorerName(config: ScorerConfig | string): string {
  if (typeof config === "string") return config;
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
