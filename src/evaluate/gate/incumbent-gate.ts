import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { StoreCaller } from "../../collect/store-caller.ts";
import type { IncumbentGateSpec } from "../../config/define-eval.ts";
import { parseRoutingConfig, type RoutingConfig, RoutingConfigError } from "../../contracts/routing-config.ts";
import type { GateCheck } from "../../contracts/summary.ts";
import { InputError } from "../../core/errors.ts";
import { forEachWithMetadata } from "../../datasets/file-items.ts";
import type { GateCode } from "../../gate/gate-code.ts";
import type { PolicyItems } from "../../gate/non-inferiority.ts";
import { alwaysRouter } from "../../routing/builtin/always.ts";
import { checkRouterParams } from "../../routing/params.ts";
import type { AnyRouter } from "../../routing/router.ts";
import type { EvaluatedRouter } from "../eval-result.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { decideAll } from "../matrix/decide-all.ts";
import { maskedValues } from "../matrix/masked.ts";
import { evaluateChoices, type PolicyOutcome } from "../matrix/policy-outcome.ts";
import { runScorePhase } from "../matrix/score-phase.ts";
import type { SplitMasks } from "../matrix/split.ts";

export interface IncumbentGateResult {
  checks: GateCheck[];
  warnings: string[];
  /** What the candidate was compared with; null when no committed production config applied. */
  incumbent: { file: string; routerId: string; runId: string } | null;
}

/**
 * The pull-request gate: the incumbent (the committed production routing config) and the eval's
 * candidate router are replayed over the same golden items and the same stored outcomes, and the
 * paired non-inferiority test decides. A missing or foreign incumbent fails the gate (exit 1) unless
 * the run allows it, and is never silently passed off as a comparison. (The eval file names the
 * incumbent's path `gate.baseline`, its first name.)
 */
export async function evaluateIncumbentGate(args: {
  spec: IncumbentGateSpec;
  evalName: string;
  source: string;
  matrix: AnswerMatrix;
  evaluated: readonly EvaluatedRouter[];
  routers: readonly AnyRouter[];
  split: SplitMasks;
  caller: StoreCaller;
  cwd?: string;
  /** `--allow-missing-incumbent`: the first pull request of a new eval passes without one (with a warning). */
  allowMissingIncumbent?: boolean;
  /** Who computes the verdict (with `--gate-base`, the base branch's code). */
  gateCode: Pick<GateCode, "nonInferiorityGate">;
}): Promise<IncumbentGateResult> {
  const { spec, matrix, split } = args;
  const file = resolve(args.cwd ?? process.cwd(), spec.baseline);
  const exportIt = `routegate export --eval ${args.evalName} --router ${spec.candidate} --out ${spec.baseline}`;
  if (!existsSync(file))
    return missingIncumbent(
      `there is no committed production config at ${spec.baseline}`,
      exportIt,
      args.allowMissingIncumbent,
    );
  let config: RoutingConfig;
  try {
    config = parseRoutingConfig(readFileSync(file, "utf8"), spec.baseline);
  } catch (err) {
    if (err instanceof RoutingConfigError)
      throw new InputError(
        spec.baseline,
        undefined,
        err.message,
        "re-export the production config with `routegate export`",
      );
    throw err;
  }
  if (config.provenance.eval !== args.evalName) {
    return missingIncumbent(
      `${spec.baseline} was exported from eval "${config.provenance.eval}", not "${args.evalName}"`,
      exportIt,
      args.allowMissingIncumbent,
    );
  }
  const modelIndex = new Map(matrix.models.map((m, k) => [m, k]));
  const missing = config.models.map((m) => m.id).filter((id) => !modelIndex.has(id));
  if (missing.length) {
    throw new InputError(
      args.source,
      "field models",
      `the committed production config routes to ${missing.join(", ")}, which this eval no longer lists`,
      "keep the incumbent's models among the candidates so both policies replay the same outcomes",
    );
  }
  const incumbent = await incumbentOutcome(config, args, modelIndex);
  const candidate = args.evaluated.find((e) => e.router.id === spec.candidate);
  if (!candidate)
    throw new InputError(
      args.source,
      "field gate.candidate",
      `no router "${spec.candidate}" was evaluated`,
      "name a router of this eval",
    );

  const mask = split.reporting;
  const items = (o: PolicyOutcome): PolicyItems => ({
    quality: maskedValues(o.quality, mask),
    cost: maskedValues(o.cost, mask),
    latencyMs: maskedValues(o.latency, mask),
  });
  let features: string[] | undefined;
  if (spec.perFeature) {
    // A feature is metadata: a dataset file's items without any are not read again.
    const named = new Map<number, string>();
    forEachWithMetadata(matrix.items, (item, i) => {
      if (mask[i]) named.set(i, String(item.metadata?.["feature"] ?? "(none)"));
    });
    features = [];
    for (let i = 0; i < mask.length; i++) if (mask[i]) features.push(named.get(i) ?? "(none)");
  }
  const verdict = args.gateCode.nonInferiorityGate(items(incumbent), items(candidate.outcome), spec, {
    ...(features ? { features } : {}),
    seed: `gate:${args.evalName}`,
    perFeature: spec.perFeature === "strict" ? "strict" : "lenient",
  });
  const scope = split.enabled ? "held-out" : "all";
  const checks: GateCheck[] = [
    ...verdict.quality.map((q) => ({
      name: `${spec.candidate} vs incumbent ${config.router.id}: ${q.name} drop < ${(100 * spec.maxDrop).toFixed(1)} pts`,
      passed: q.passed,
      value: q.value,
      threshold: q.threshold,
      detail: `${q.detail} (${scope} items)`,
      ...(q.blocking ? {} : { blocking: false }),
      ...(q.undecided ? { undecided: { itemsNeeded: q.undecided.itemsNeeded } } : {}),
    })),
    ...verdict.ceilings.map((c) => ({
      name: `${spec.candidate}: ${c.name}`,
      passed: c.passed,
      value: c.value,
      threshold: c.threshold,
      detail: c.detail,
    })),
  ];
  return {
    checks,
    warnings: [],
    incumbent: { file: spec.baseline, routerId: config.router.id, runId: config.provenance.runId },
  };
}

/**
 * A declared gate with nothing to compare with fails: otherwise a pull request that deletes or
 * renames the committed production config would pass with no check at all.
 * `--allow-missing-incumbent` is the way in for the first pull request of a new eval, and it
 * still says so.
 */
function missingIncumbent(why: string, exportIt: string, allowed = false): IncumbentGateResult {
  const message = `no incumbent: export the production config with \`routegate export\` (${exportIt}) and commit it; ${why}`;
  return {
    checks: [
      {
        name: "incumbent to compare with",
        passed: allowed,
        value: null,
        threshold: 1,
        detail: allowed ? `${message} (allowed by --allow-missing-incumbent)` : message,
      },
    ],
    warnings: [`gate: ${message}${allowed ? "; passed only because of --allow-missing-incumbent" : ""}.`],
    incumbent: null,
  };
}

/** The incumbent's per-item outcome: the router named in code, at the committed parameters. */
async function incumbentOutcome(
  config: RoutingConfig,
  args: {
    evaluated: readonly EvaluatedRouter[];
    routers: readonly AnyRouter[];
    matrix: AnswerMatrix;
    caller: StoreCaller;
    source: string;
    spec: IncumbentGateSpec;
  },
  modelIndex: ReadonlyMap<string, number>,
): Promise<PolicyOutcome> {
  const id = config.router.id;
  const router = id.startsWith("always:")
    ? alwaysRouter(id.slice("always:".length))
    : args.routers.find((r) => r.id === id);
  if (!router) {
    throw new InputError(
      args.spec.baseline,
      "router.id",
      `the committed production config's router "${id}" is not a router of this eval`,
      "keep the production router registered in the eval's routers so the gate can replay it",
    );
  }
  // The committed params are data: the router's own schema checks them, as the runtime would.
  const problem = checkRouterParams(router, config.router.params, { models: config.models.map((m) => m.id) });
  if (problem) {
    throw new InputError(
      args.spec.baseline,
      "router.params",
      problem,
      "re-export the production config with `routegate export` (production refuses these params too)",
    );
  }
  // The score step does not depend on parameters: reuse the evaluated one when the router ran.
  const phase =
    args.evaluated.find((e) => e.router.id === id)?.phase ?? (await runScorePhase(router, args.matrix, args.caller));
  return evaluateChoices(args.matrix, phase, decideAll(router, phase, config.router.params, modelIndex));
}
