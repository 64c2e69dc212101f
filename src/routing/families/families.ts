import type { ModelId } from "../../core/types.ts";
import { cascadeRouter } from "../builtin/cascade.ts";
import { classifierRouter } from "../builtin/classifier.ts";
import { lengthRouter } from "../builtin/length.ts";
import { randomRouter } from "../builtin/random.ts";
import { agreementWith } from "../confidence/agreement.ts";
import { workedAnswerChecks } from "../confidence/math-checks.ts";
import { DEFAULT_EMBEDDER, knnRouter } from "../learn/knn-router.ts";
import { learnedRouter } from "../learn/learned-router.ts";
import { qualityCostRouter } from "../learn/quality-cost-router.ts";
import { type AnyRouter, defineRouter } from "../router.ts";
import { bestIndex, cheapModels, type FamilyFacts, twoTiers } from "./facts.ts";

/**
 * The built-in router families an ad-hoc run evaluates when no router is named (and an eval file
 * lists in `families`). Single-model baselines (`always:<model>`) come with every run.
 */
export const FAMILY_NAMES = [
  "random",
  "oracle",
  "length",
  "cascade",
  "learned",
  "quality-cost",
  "knn",
  "classifier",
] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

export interface FamilyOptions {
  /** The kNN family's embedding model (default the keyless local embedder). */
  embedder?: string;
}

export interface BuiltFamilies {
  routers: AnyRouter[];
  /** Ids of policies that read the answers' scores (the oracle): reported, never recommended. */
  evaluationOnly: string[];
  /** Families that could not be built for this run, and why. */
  skipped: Array<{ family: FamilyName; reason: string }>;
}

/**
 * kNN's leave-one-out fit keeps every calibration item's similarity to every other: n^2 numbers
 * (0.8 GB at 10,000 items, 80 GB at 100,000) and n^2 comparisons. Past this many calibration items
 * the family is skipped with that reason, never left to exhaust the machine's memory.
 */
export const KNN_MAX_CALIBRATION_ITEMS = 10_000;

/**
 * Builds the named families from calibration figures by fixed rules (facts.ts): the two tiers,
 * the best model, the cheap probes. A family that needs calls this run cannot make, or models it
 * does not have, is skipped with the reason, never an error.
 */
export function buildFamilies(
  names: readonly FamilyName[],
  facts: FamilyFacts,
  opts: FamilyOptions = {},
): BuiltFamilies {
  const out: BuiltFamilies = { routers: [], evaluationOnly: [], skipped: [] };
  const tiers = twoTiers(facts);
  const best = facts.models[bestIndex(facts)]!;
  const probes = cheapModels(facts)
    .slice(0, 2)
    .map((k) => facts.models[k]!);
  const noTiers =
    "no candidate costs at most half the best model's calibration cost, so there is nothing to route between (name --weak and --strong to route anyway)";
  const skip = (family: FamilyName, reason: string) => out.skipped.push({ family, reason });
  for (const name of new Set(names)) {
    switch (name) {
      case "oracle":
        out.routers.push(oracleRouter(facts));
        out.evaluationOnly.push("oracle");
        break;
      case "random":
      case "length":
        if (!tiers) skip(name, noTiers);
        else out.routers.push(name === "random" ? randomRouter(tiers) : lengthRouter(tiers));
        break;
      case "learned":
        if (!tiers) skip(name, noTiers);
        else
          out.routers.push(
            learnedRouter({ ...tiers }),
            learnedRouter({
              ...tiers,
              useWeakAnswer: true,
              verifiers: workedAnswerChecks(),
            }),
          );
        break;
      case "cascade":
        if (probes.length < 2) skip(name, "it needs two cheap models (at most half the best's cost) to agree");
        else
          out.routers.push(
            cascadeRouter({
              id: "agreement-cascade",
              models: [probes[0]!, best],
              sources: [agreementWith(probes[1]!)],
            }),
          );
        break;
      case "quality-cost":
        out.routers.push(
          qualityCostRouter({ models: facts.models, predictor: "means", id: "quality-cost-means" }),
          qualityCostRouter({ models: facts.models, id: "quality-cost-learned" }),
        );
        if (probes.length === 2)
          out.routers.push(qualityCostRouter({ models: facts.models, probes, id: "quality-cost-probed" }));
        else skip(name, "quality-cost-probed needs two cheap models to probe (means and learned were built)");
        break;
      case "knn": {
        const embedder = opts.embedder ?? DEFAULT_EMBEDDER;
        if (!facts.canEmbed(embedder)) skip(name, `this run cannot call the embedder ${embedder} (offline)`);
        else if ((facts.calibrationItems ?? 0) > KNN_MAX_CALIBRATION_ITEMS)
          skip(
            name,
            `its fit compares every calibration item with every other, and this run has ${facts.calibrationItems} (at most ${KNN_MAX_CALIBRATION_ITEMS}); run kNN on a sample of the dataset`,
          );
        else out.routers.push(knnRouter({ models: facts.models, embedder }));
        break;
      }
      case "classifier":
        if (!tiers) skip(name, noTiers);
        else if (!facts.canCallBeyondAnswers(tiers.weak))
          skip(
            name,
            `its classify call to ${tiers.weak} is not among the recorded answers, and this run cannot make new calls to it (replay or offline)`,
          );
        else out.routers.push(classifierRouter({ ...tiers, classifier: tiers.weak }));
        break;
    }
  }
  return out;
}

/** Per item, the model the per-item oracle picks: an upper bound to compare with, never deployable. */
function oracleRouter(facts: FamilyFacts) {
  return defineRouter<{ model: ModelId }, Record<string, never>>({
    id: "oracle",
    params: {},
    async score(item) {
      return { model: facts.oracleChoice(item.id) };
    },
    decide: (scores) => ({ model: scores.model, reason: "the per-item oracle (reads the scores)" }),
  });
}
