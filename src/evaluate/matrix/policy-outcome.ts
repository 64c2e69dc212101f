import type { AnswerMatrix } from "./answer-matrix.ts";
import type { ChoiceVector } from "./decide-all.ts";
import { calledNothing, type ScorePhase } from "./score-phase.ts";
import { float64s } from "./typed-slab.ts";

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

/** The answer matrix flattened (row k, item i at k * n + i), so the hot loop does one lookup per array. */
export interface FlatMatrix {
  score: Float64Array;
  cost: Float64Array;
}

/** What a score phase says about every item, computed once per phase, not once per sweep point. */
export interface Prepared {
  matrix: AnswerMatrix;
  /** 1 - answerPaid, flattened: 0 where the score step already paid for model k's answer to item i. */
  unpaid: Float64Array;
  /** scoreCalled[m][i] = 1 when the score step called model m (any role) on item i. */
  scoreCalled: Uint8Array[];
  phaseCost: Float64Array;
}

const flatMatrices = new WeakMap<AnswerMatrix, FlatMatrix>();
const preparedPhases = new WeakMap<ScorePhase, Prepared>();
const noPhase = new WeakMap<AnswerMatrix, Prepared>();

/** The matrix's score and cost rows, flattened once per matrix. */
export function flatten(matrix: AnswerMatrix): FlatMatrix {
  let flat = flatMatrices.get(matrix);
  if (!flat) {
    const n = matrix.items.length;
    const m = matrix.models.length;
    flat = { score: new Float64Array(m * n), cost: new Float64Array(m * n) };
    for (let k = 0; k < m; k++) {
      flat.score.set(matrix.score[k]!, k * n);
      flat.cost.set(matrix.cost[k]!, k * n);
    }
    flatMatrices.set(matrix, flat);
  }
  return flat;
}

/** Per-item facts of a score phase (answer-paid flags, models called), once per phase. */
export function prepare(matrix: AnswerMatrix, phase: ScorePhase | null): Prepared {
  // A phase without calls says nothing per item: it shares the matrix's no-phase facts (its cost
  // and latency are zeros too), so routers that call nothing keep no per-item arrays here.
  if (phase && calledNothing(phase)) return prepare(matrix, null);
  const cache = phase ? preparedPhases.get(phase) : noPhase.get(matrix);
  if (cache && cache.matrix === matrix) return cache;
  const n = matrix.items.length;
  const m = matrix.models.length;
  const modelIndex = new Map(matrix.models.map((id, k) => [id, k]));
  const unpaid = new Float64Array(m * n).fill(1);
  const scoreCalled = Array.from({ length: m }, () => new Uint8Array(n));
  for (let i = 0; phase && i < n; i++) {
    for (const c of phase.calls[i] ?? []) {
      const mk = modelIndex.get(c.result.model);
      if (mk === undefined) continue;
      scoreCalled[mk]![i] = 1;
      if (c.result.requestHash === matrix.hash[mk]!.get(i)) unpaid[mk * n + i] = 0;
    }
  }
  const p = { matrix, unpaid, scoreCalled, phaseCost: phase ? phase.cost : new Float64Array(n) };
  if (phase) preparedPhases.set(phase, p);
  else noPhase.set(matrix, p);
  return p;
}

/**
 * Replays a choice vector over the answer matrix. A policy pays for every distinct call it made:
 * its score step's calls plus the final answer, unless the score step already paid for that very
 * answer (a cascade whose cheap attempt is accepted pays once). Where a decision named the calls
 * it used (`Choice.uses`), only those score-step calls are charged.
 *
 * Sweeps call this once per parameter set and compare quality and cost, so those two are computed
 * in one tight loop over flat typed arrays; latency, errors and `called` are computed on first
 * read (once, for the chosen point) and then kept.
 */
export function evaluateChoices(matrix: AnswerMatrix, phase: ScorePhase | null, choice: ChoiceVector): PolicyOutcome {
  const n = matrix.items.length;
  const quality = float64s(n);
  const cost = float64s(n);
  const flat = flatten(matrix);
  const prep = prepare(matrix, phase);
  const uses = choice.uses;
  const { score, cost: answerCost } = flat;
  const { unpaid, phaseCost } = prep;
  for (let i = 0; i < n; i++) {
    const j = choice[i]! * n + i;
    quality[i] = score[j]!;
    cost[i] = phaseCost[i]! + unpaid[j]! * answerCost[j]!;
  }
  if (uses && phase) {
    for (let i = 0; i < n; i++) {
      const used = uses[i];
      if (used !== undefined) cost[i] = usedCalls(matrix, phase, i, choice[i]!, used).cost;
    }
  }
  const out = { choice, quality, cost } as PolicyOutcome;
  lazy(out, "latency", () => latencies(matrix, phase, prep, choice));
  lazy(out, "error", () => {
    const error = new Uint8Array(n);
    for (let i = 0; i < n; i++) error[i] = matrix.error[choice[i]!]![i]!;
    return error;
  });
  lazy(out, "called", () => calledModels(matrix, phase, prep, choice));
  return out;
}

function lazy<K extends keyof PolicyOutcome>(out: PolicyOutcome, key: K, compute: () => PolicyOutcome[K]): void {
  let value: PolicyOutcome[K] | undefined;
  Object.defineProperty(out, key, {
    enumerable: true,
    get: () => {
      value ??= compute();
      return value;
    },
  });
}

function latencies(matrix: AnswerMatrix, phase: ScorePhase | null, prep: Prepared, choice: ChoiceVector): Float64Array {
  const n = matrix.items.length;
  const latency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = choice[i]!;
    const used = choice.uses?.[i];
    if (phase && used !== undefined) {
      latency[i] = usedCalls(matrix, phase, i, k, used).latency;
      continue;
    }
    const unpaid = prep.unpaid[k * n + i]!;
    latency[i] = (phase?.latency[i] ?? 0) + unpaid * matrix.latency[k]![i]!;
  }
  return latency;
}

/** Cost and latency of one decision that named the score-step calls it used, final answer included. */
export function usedCalls(matrix: AnswerMatrix, phase: ScorePhase, i: number, k: number, used: readonly string[]) {
  const wanted = new Set(used);
  const seen = new Set<string>();
  let cost = 0;
  let latency = 0;
  let answerPaid = false;
  const answerHash = matrix.hash[k]!.get(i);
  for (const c of phase.calls[i] ?? []) {
    const hash = c.result.requestHash;
    if (!wanted.has(hash)) continue;
    latency = Math.max(latency, c.endMs);
    if (hash === answerHash) answerPaid = true;
    if (seen.has(hash)) continue;
    seen.add(hash);
    cost += c.result.costUsd;
  }
  if (!answerPaid) {
    cost += matrix.cost[k]![i]!;
    latency += matrix.latency[k]![i]!;
  }
  return { cost, latency };
}

function calledModels(
  matrix: AnswerMatrix,
  phase: ScorePhase | null,
  prep: Prepared,
  choice: ChoiceVector,
): Uint8Array[] {
  const n = matrix.items.length;
  const called = prep.scoreCalled.map((row) => row.slice());
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
