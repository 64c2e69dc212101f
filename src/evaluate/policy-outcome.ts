import type { AnswerMatrix } from "./answer-matrix.ts";
import type { ScorePhase } from "./score-phase.ts";

/** Per-item figures of one policy (a router at one parameter set). */
export interface PolicyOutcome {
  /** Index into matrix.models of the final answer's model, per item. */
  choice: Int32Array;
  quality: Float64Array;
  cost: Float64Array;
  latency: Float64Array;
  error: Uint8Array;
  /** 1 where the policy called model m at all (score step or final answer): calledModel[m][i]. */
  called: Uint8Array[];
}

/**
 * Replays a choice vector over the answer matrix. A policy pays for every distinct call it made:
 * its score step's calls plus the final answer, unless the score step already paid for that very
 * answer (a cascade whose cheap attempt is accepted pays once).
 */
export function evaluateChoices(matrix: AnswerMatrix, phase: ScorePhase | null, choice: Int32Array): PolicyOutcome {
  const n = matrix.items.length;
  const m = matrix.models.length;
  const out: PolicyOutcome = {
    choice,
    quality: new Float64Array(n),
    cost: new Float64Array(n),
    latency: new Float64Array(n),
    error: new Uint8Array(n),
    called: Array.from({ length: m }, () => new Uint8Array(n)),
  };
  const modelIndex = new Map(matrix.models.map((id, k) => [id, k]));
  for (let i = 0; i < n; i++) {
    const k = choice[i]!;
    const calls = phase?.calls[i] ?? [];
    let answerPaid = false;
    for (const c of calls) {
      const mk = modelIndex.get(c.result.model);
      if (mk !== undefined) out.called[mk]![i] = 1;
      if (c.result.requestHash === matrix.hash[k]![i]) answerPaid = true;
    }
    out.called[k]![i] = 1;
    out.quality[i] = matrix.score[k]![i]!;
    out.error[i] = matrix.error[k]![i]!;
    out.cost[i] = (phase?.cost[i] ?? 0) + (answerPaid ? 0 : matrix.cost[k]![i]!);
    out.latency[i] = (phase?.latency[i] ?? 0) + (answerPaid ? 0 : matrix.latency[k]![i]!);
  }
  return out;
}
