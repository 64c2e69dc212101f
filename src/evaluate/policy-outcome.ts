import type { AnswerMatrix } from "./answer-matrix.ts";
import type { ChoiceVector } from "./decide-all.ts";
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

/** What a score phase says about every item once, so sweeps over it do no per-call lookups. */
interface Prepared {
  matrix: AnswerMatrix;
  /** answerPaid[m][i] = 1 when the score step already paid for model m's answer to item i. */
  answerPaid: Uint8Array[];
  /** scoreCalled[m][i] = 1 when the score step called model m (any role) on item i. */
  scoreCalled: Uint8Array[];
}

const prepared = new WeakMap<ScorePhase, Prepared>();

function prepare(matrix: AnswerMatrix, phase: ScorePhase): Prepared {
  const cached = prepared.get(phase);
  if (cached && cached.matrix === matrix) return cached;
  const n = matrix.items.length;
  const m = matrix.models.length;
  const modelIndex = new Map(matrix.models.map((id, k) => [id, k]));
  const answerPaid = Array.from({ length: m }, () => new Uint8Array(n));
  const scoreCalled = Array.from({ length: m }, () => new Uint8Array(n));
  for (let i = 0; i < n; i++) {
    for (const c of phase.calls[i] ?? []) {
      const mk = modelIndex.get(c.result.model);
      if (mk === undefined) continue;
      scoreCalled[mk]![i] = 1;
      if (c.result.requestHash === matrix.hash[mk]![i]) answerPaid[mk]![i] = 1;
    }
  }
  const p = { matrix, answerPaid, scoreCalled };
  prepared.set(phase, p);
  return p;
}

/**
 * Replays a choice vector over the answer matrix. A policy pays for every distinct call it made:
 * its score step's calls plus the final answer, unless the score step already paid for that very
 * answer (a cascade whose cheap attempt is accepted pays once). Where a decision named the calls
 * it used (`Choice.uses`), only those score-step calls are charged.
 *
 * Sweeps call this once per parameter set, so the per-item loop reads precomputed flags and
 * typed arrays only; `called` (needed once per point, not per decision) is built on first read.
 */
export function evaluateChoices(matrix: AnswerMatrix, phase: ScorePhase | null, choice: ChoiceVector): PolicyOutcome {
  const n = matrix.items.length;
  const quality = new Float64Array(n);
  const cost = new Float64Array(n);
  const latency = new Float64Array(n);
  const error = new Uint8Array(n);
  const uses = choice.uses;
  const prep = phase ? prepare(matrix, phase) : null;
  const { score, error: failed, cost: answerCost, latency: answerLatency } = matrix;
  if (prep !== null && phase !== null && uses === undefined) {
    // The sweep's hot loop: typed-array reads only, no branches beyond the answer-paid flag.
    const { answerPaid } = prep;
    const phaseCost = phase.cost;
    const phaseLatency = phase.latency;
    for (let i = 0; i < n; i++) {
      const k = choice[i]!;
      const unpaid = 1 - answerPaid[k]![i]!;
      quality[i] = score[k]![i]!;
      error[i] = failed[k]![i]!;
      cost[i] = phaseCost[i]! + unpaid * answerCost[k]![i]!;
      latency[i] = phaseLatency[i]! + unpaid * answerLatency[k]![i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = choice[i]!;
      quality[i] = score[k]![i]!;
      error[i] = failed[k]![i]!;
      const used = uses?.[i];
      if (phase === null) {
        cost[i] = answerCost[k]![i]!;
        latency[i] = answerLatency[k]![i]!;
      } else if (used !== undefined) {
        const part = usedCalls(matrix, phase, i, k, used);
        cost[i] = part.cost + (part.answerPaid ? 0 : answerCost[k]![i]!);
        latency[i] = part.latency + (part.answerPaid ? 0 : answerLatency[k]![i]!);
      } else {
        const paid = prep?.answerPaid[k]![i] === 1;
        cost[i] = phase.cost[i]! + (paid ? 0 : answerCost[k]![i]!);
        latency[i] = phase.latency[i]! + (paid ? 0 : answerLatency[k]![i]!);
      }
    }
  }
  const out = { choice, quality, cost, latency, error } as PolicyOutcome;
  let called: Uint8Array[] | undefined;
  Object.defineProperty(out, "called", {
    enumerable: true,
    get: () => {
      called ??= calledModels(matrix, phase, prep, choice);
      return called;
    },
  });
  return out;
}

/** Cost, latency and answer-paid flag of the score-step calls one decision used. */
function usedCalls(matrix: AnswerMatrix, phase: ScorePhase, i: number, k: number, used: readonly string[]) {
  const wanted = new Set(used);
  const seen = new Set<string>();
  let cost = 0;
  let latency = 0;
  let answerPaid = false;
  for (const c of phase.calls[i] ?? []) {
    const hash = c.result.requestHash;
    if (!wanted.has(hash)) continue;
    latency = Math.max(latency, c.endMs);
    if (hash === matrix.hash[k]![i]) answerPaid = true;
    if (seen.has(hash)) continue;
    seen.add(hash);
    cost += c.result.costUsd;
  }
  return { cost, latency, answerPaid };
}

function calledModels(
  matrix: AnswerMatrix,
  phase: ScorePhase | null,
  prep: Prepared | null,
  choice: ChoiceVector,
): Uint8Array[] {
  const n = matrix.items.length;
  const called = prep
    ? prep.scoreCalled.map((row) => row.slice())
    : Array.from({ length: matrix.models.length }, () => new Uint8Array(n));
  const modelIndex = new Map(matrix.models.map((id, k) => [id, k]));
  for (let i = 0; i < n; i++) {
    const used = choice.uses?.[i];
    if (used !== undefined && phase) {
      // Only the calls the decision used count as made.
      for (const row of called) row[i] = 0;
      const wanted = new Set(used);
      for (const c of phase.calls[i] ?? []) {
        const mk = modelIndex.get(c.result.model);
        if (mk !== undefined && wanted.has(c.result.requestHash)) called[mk]![i] = 1;
      }
    }
    called[choice[i]!]![i] = 1;
  }
  return called;
}
