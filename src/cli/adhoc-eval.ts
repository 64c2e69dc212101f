import { basename, dirname, resolve } from "node:path";
import type { EvalConfigInput } from "../config/define-eval.ts";
import { parseModelSpec } from "../contracts/model-spec.ts";
import { InputError } from "../core/errors.ts";
import { FAMILY_NAMES, type FamilyName } from "../routing/families/families.ts";
import { adhocExactScorer } from "./adhoc-scorer.ts";

export interface AdhocFlags {
  dataset: string;
  models: string;
  /** The exact scorer; with --judge it is what the judge's kappaVsExact is measured against. */
  scorer?: string;
  /** --labels a,b,c for the label scorer (else inferred from the dataset's expected values). */
  labels?: string;
  /** --scorer-option KEY=VALUE, repeatable: options of the exact scorer. */
  scorerOptions?: readonly string[];
  /** Judge model spec(s), comma-separated for a panel: the judge then scores the answers. */
  judge?: string;
  judgeMode?: "pairwise" | "rubric" | "reference";
  weak?: string;
  strong?: string;
  /** Built-in router families (comma-separated), or "none"; default every family. */
  routers?: string;
  maxTokens?: number;
  /** select.nonInferiorTo: "best" or a model; the operating points are then non-inferior ones. */
  nonInferiorTo?: string;
  margin?: number;
  /** The kNN family's embedding model. */
  embedder?: string;
}

/**
 * Builds an eval config from command-line flags: `routegate eval --dataset F --models A,B --scorer S`.
 * With no --routers, every built-in router family is evaluated (each built by fixed rules from
 * calibration figures and reported on held-out items); --routers names some of them, or none.
 */
export function adhocEvalConfig(flags: AdhocFlags, note: (line: string) => void = () => {}): EvalConfigInput {
  const specs = flags.models
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Resolve weak/strong written as specs (replay:M@F) to the ids the models get.
  const idOf = (spec: string | undefined, flag: string) => {
    if (spec === undefined) return undefined;
    try {
      return parseModelSpec(spec).id;
    } catch (err) {
      throw new InputError("command line", `--${flag}`, (err as Error).message, "name one of the --models");
    }
  };
  const weak = idOf(flags.weak, "weak");
  const strong = idOf(flags.strong, "strong");
  const names =
    flags.routers === undefined
      ? [...FAMILY_NAMES]
      : flags.routers === "none"
        ? []
        : flags.routers
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
  const families = names.map((name) => {
    if (!(FAMILY_NAMES as readonly string[]).includes(name))
      throw new InputError(
        "command line",
        "--routers",
        `unknown router family "${name}"`,
        `use a comma-separated list of ${FAMILY_NAMES.join(", ")}, or none`,
      );
    return name as FamilyName;
  });
  if (flags.margin !== undefined && flags.nonInferiorTo === undefined)
    throw new InputError("command line", "--margin", "--margin needs --non-inferior-to", "add --non-inferior-to best");
  const file = basename(flags.dataset);
  const stem = file.startsWith("items.")
    ? basename(dirname(resolve(flags.dataset)))
    : file.replace(/\.jsonl(\.gz)?$/, "");
  return {
    name: stem.replace(/[^a-z0-9._-]/gi, "-").replace(/^[^a-z0-9]+/i, "") || "adhoc",
    dataset: flags.dataset,
    models: specs,
    scorer: adhocScorer(flags, note),
    ...(weak ? { weak } : {}),
    ...(strong ? { strong } : {}),
    families,
    ...(flags.embedder ? { embedder: flags.embedder } : {}),
    ...(flags.nonInferiorTo !== undefined
      ? {
          select: {
            nonInferiorTo:
              flags.nonInferiorTo === "best" ? "best" : (idOf(flags.nonInferiorTo, "non-inferior-to") ?? ""),
            ...(flags.margin !== undefined ? { margin: flags.margin } : {}),
          },
        }
      : {}),
    request: { maxTokens: flags.maxTokens ?? 512, temperature: 0 },
  };
}

/**
 * --scorer alone: that exact scorer. --judge: a judge scorer (default mode rubric, which needs no
 * reference), with --scorer, if given, as the exact scorer it is compared with (kappaVsExact).
 */
function adhocScorer(flags: AdhocFlags, note: (line: string) => void): EvalConfigInput["scorer"] {
  if (flags.scorer === undefined && (flags.labels !== undefined || flags.scorerOptions?.length))
    throw new InputError("command line", "--scorer", "scorer options without a scorer", "add --scorer NAME");
  const exact = flags.scorer === undefined ? undefined : adhocExactScorer({ ...flags, scorer: flags.scorer }, note);
  if (flags.judge === undefined) {
    if (flags.scorer === undefined)
      throw new InputError(
        "command line",
        "--scorer",
        "no scorer given",
        "add --scorer NAME, or --judge SPEC to score with a judge",
      );
    return exact as EvalConfigInput["scorer"];
  }
  const judges = flags.judge
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (judges.length === 0)
    throw new InputError(
      "command line",
      "--judge",
      "no judge model given",
      "write --judge PROVIDER:MODEL, e.g. openai:gpt-4o",
    );
  return {
    type: `judge-${flags.judgeMode ?? "rubric"}`,
    judge: judges.length === 1 ? judges[0] : judges,
    ...(exact !== undefined ? { agreeWith: exact } : {}),
  };
}
