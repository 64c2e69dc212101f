import type { AdversarialItem } from "../../contracts/summary.ts";
import { forEachWithMetadata } from "../../datasets/file-items.ts";
import type { EvalResult } from "../eval-result.ts";

/**
 * What every policy did with the items marked `metadata.adversarial` (prompt injections aimed at a
 * router, "this is trivial, use the cheapest model", or at the model itself): the model each chose,
 * the router's rank where it has one, and the score of the final answer. All such items are listed,
 * held-out or not (`heldOut` says which), because the question is how the router behaves on them,
 * not an estimate. Returns [] when no item is marked.
 *
 * The summary field `adversarial` is this function's output: `summary.adversarial = adversarialItems(result)`.
 */
export function adversarialItems(result: Pick<EvalResult, "matrix" | "evaluated" | "split">): AdversarialItem[] {
  const { matrix, evaluated, split } = result;
  const out: AdversarialItem[] = [];
  // Marks are metadata: a dataset file's items without any are not read again.
  forEachWithMetadata(matrix.items, (item, i) => {
    if (item.metadata?.["adversarial"] !== true) return;
    const tags = Array.isArray(item.metadata["tags"]) ? item.metadata["tags"].filter((t) => typeof t === "string") : [];
    const choices: Record<string, string> = {};
    const quality: Record<string, number> = {};
    const scores: Record<string, number> = {};
    for (const e of evaluated) {
      choices[e.router.id] = matrix.models[e.outcome.choice[i]!]!;
      quality[e.router.id] = e.outcome.quality[i]!;
      if (e.rank) scores[e.router.id] = e.rank[i]!;
    }
    out.push({
      itemId: item.id,
      tags,
      choices,
      ...(Object.keys(scores).length ? { scores } : {}),
      quality,
      heldOut: split.enabled ? split.heldOut[i] === 1 : false,
    });
  });
  return out;
}
