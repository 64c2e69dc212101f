import type { ResolvedModel } from "../../collect/resolved-model.ts";
import type { ResolvedEval } from "../../config/load-eval.ts";
import { parseModelSpec } from "../../contracts/model-spec.ts";
import type { FamilyFacts } from "../../routing/families/facts.ts";
import { type BuiltFamilies, buildFamilies } from "../../routing/families/families.ts";
import { perItemOracle } from "../../stats/index.ts";
import type { AnswerMatrix } from "../matrix/answer-matrix.ts";
import { maskedCount, maskedMean } from "../matrix/masked.ts";

/**
 * The eval's built-in families for this run: facts measured on calibration items (plus the
 * per-item oracle, an upper bound that reads every score), and what the run can call.
 */
export function familiesForRun(args: {
  config: ResolvedEval;
  matrix: AnswerMatrix;
  calibration: Uint8Array;
  models: ReadonlyMap<string, ResolvedModel>;
  offline: boolean;
}): BuiltFamilies {
  const { config, matrix, calibration, models } = args;
  if (!config.families.length) return { routers: [], evaluationOnly: [], skipped: [] };
  const oracle = perItemOracle(matrix.score, matrix.cost);
  // Built when a family first asks (the oracle router): a pass over every item's id.
  let byItem: Map<string, string> | undefined;
  const oracleModel = (itemId: string) => {
    if (!byItem) {
      const built = new Map<string, string>();
      matrix.items.forEach((item, i) => {
        built.set(item.id, matrix.models[oracle.model[i]!]!);
      });
      byItem = built;
    }
    return byItem.get(itemId);
  };
  const facts: FamilyFacts = {
    models: matrix.models,
    quality: matrix.score.map((s) => maskedMean(s, calibration)),
    cost: matrix.cost.map((c) => maskedMean(c, calibration)),
    calibrationItems: maskedCount(calibration),
    ...(config.weak && config.strong ? { weak: config.weak, strong: config.strong } : {}),
    canCallBeyondAnswers(model) {
      const provider = models.get(model)?.provider;
      if (!provider || provider.id === "replay") return false;
      return provider.offline || !args.offline;
    },
    canEmbed(embedder) {
      try {
        const provider = parseModelSpec(embedder).provider;
        return provider === "local" || !args.offline;
      } catch {
        return false;
      }
    },
    oracleChoice: (itemId) => oracleModel(itemId) ?? matrix.models[0]!,
  };
  return buildFamilies(config.families, facts, config.embedder ? { embedder: config.embedder } : {});
}
