import { InputError } from "../core/errors.ts";
import { loadDataset } from "../datasets/load-dataset.ts";

/** The exact-scorer flags of an ad-hoc run. */
export interface ScorerFlags {
  /** --scorer: a scorer type (exact, label, numeric, ...). */
  scorer: string;
  /** --labels a,b,c: the label scorer's labels. */
  labels?: string;
  /** --scorer-option KEY=VALUE, repeatable: any option of the scorer's config (docs/eval-file.md#scorers). */
  scorerOptions?: readonly string[];
  /** The dataset: the label scorer without --labels takes its labels from the expected values. */
  dataset: string;
}

export type AdhocScorerConfig = string | ({ type: string } & Record<string, unknown>);

/**
 * The scorer config an ad-hoc run's flags describe: the bare type when no option is given (its
 * defaults), else `{ type, ...options }`, validated later with every other scorer config (so a
 * misspelt option is refused naming `scorer.<option>`). `note` hears what was chosen for the user,
 * e.g. labels inferred from the dataset.
 */
export function adhocExactScorer(flags: ScorerFlags, note: (line: string) => void): AdhocScorerConfig {
  const options = parseScorerOptions(flags.scorerOptions ?? []);
  if (flags.labels !== undefined) {
    if (flags.scorer !== "label")
      throw new InputError(
        "command line",
        "--labels",
        `--labels is for --scorer label, not "${flags.scorer}"`,
        "drop --labels, or use --scorer label",
      );
    options["labels"] = splitList(flags.labels);
  }
  if (flags.scorer === "label" && options["labels"] === undefined) {
    const labels = labelsOfDataset(flags.dataset);
    options["labels"] = labels;
    note(
      `routegate: label scorer: ${labels.length} labels inferred from the dataset's expected values (${labels.join(", ")}); give --labels a,b,c to set them`,
    );
  }
  return Object.keys(options).length === 0 ? flags.scorer : { type: flags.scorer, ...options };
}

/** `KEY=VALUE` pairs; a value that reads as JSON (true, 0.01, ["A","B"]) is that value, else the string. */
export function parseScorerOptions(pairs: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = eq > 0 ? pair.slice(0, eq).trim() : "";
    if (!key || key === "type")
      throw new InputError(
        "command line",
        "--scorer-option",
        `"${pair}" is not KEY=VALUE`,
        "write e.g. --scorer-option routellmCompat=true or --scorer-option tolerance=0.01",
      );
    options[key] = readValue(pair.slice(eq + 1));
  }
  return options;
}

function readValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const splitList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The distinct expected values of a dataset, in order of first appearance; spellings that differ
 * only in case are one label (the label scorer ignores case by default).
 */
function labelsOfDataset(file: string): string[] {
  const labels = new Map<string, string>();
  for (const item of loadDataset(file).items) {
    const values = Array.isArray(item.expected) ? item.expected : [item.expected];
    for (const v of values) {
      const label = typeof v === "string" ? v.trim() : "";
      if (label && !labels.has(label.toLowerCase())) labels.set(label.toLowerCase(), label);
    }
  }
  if (labels.size === 0)
    throw new InputError(
      file,
      "expected",
      "the label scorer found no labels: no item has a string expected value",
      "give --labels a,b,c, or expected labels in the dataset",
    );
  return [...labels.values()];
}
