import type { CallResult, ChatRequest, Item, ModelId } from "../../core/types.ts";
import type { JudgeCaller } from "./types.ts";
import { type Dialect, type ParsedVerdict, parseVerdict, type VerdictShape } from "./verdict.ts";

// One question to one judge: role "judge", parents = the outcomes whose text the prompt embeds, so
// the store caches the verdict under (judge snapshot, prompt, texts in their order, parents). An
// unparsable reply (after repair) is asked once more as sample 1, then it is a judge error.

export interface AskOutcome {
  judge: ModelId;
  verdict: Exclude<ParsedVerdict, { ok: false }> | null;
  /** Every judge outcome used: one, or two when the verdict was asked again. */
  results: CallResult[];
  retried: boolean;
  error?: string;
}

export async function askJudge(
  caller: JudgeCaller,
  item: Item,
  judge: ModelId,
  request: ChatRequest,
  parents: readonly string[],
  shape: VerdictShape,
  dialect: Dialect,
): Promise<AskOutcome> {
  const results: CallResult[] = [];
  let problem = "";
  for (const sample of [0, 1]) {
    const result = await caller.call(item, judge, request, { role: "judge", parents: [...parents], sample });
    results.push(result);
    // Provider failures were already retried by the caller; asking again would only repeat them.
    if (result.error)
      return { judge, verdict: null, results, retried: sample > 0, error: `judge call failed: ${result.error}` };
    const parsed = parseVerdict(result.text, shape, dialect);
    if (parsed.ok) return { judge, verdict: parsed, results, retried: sample > 0 };
    problem = parsed.problem;
  }
  return { judge, verdict: null, results, retried: true, error: `unparsable verdict after one retry: ${problem}` };
}
