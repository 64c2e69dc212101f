import type { JudgeSummary } from "../../contracts/judge-summary.ts";
import type { JudgeRun } from "../../scoring/judge/types.ts";
import type { EvaluatedRouter } from "../eval-result.ts";

type Injection = NonNullable<JudgeSummary["injection"]>;

/**
 * Each policy's judged quality on the reporting items, with and without every item whose texts
 * carry text aimed at the judge, so a reader sees how much those items move each policy.
 * `reporting` is the mask before any exclusion.
 */
export function injectionFigures(
  judge: JudgeRun,
  evaluated: readonly EvaluatedRouter[],
  reporting: Uint8Array,
  excluded: readonly string[],
): Injection | undefined {
  const base = judge.summary.injection;
  if (!base) return undefined;
  const flagged = judge.injectionFlagged ?? new Uint8Array(reporting.length);
  const mean = (q: Float64Array, keep: (i: number) => boolean) => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < q.length; i++) {
      if (!reporting[i] || !keep(i)) continue;
      sum += q[i]!;
      n++;
    }
    return { value: n ? sum / n : null, n };
  };
  const policies = evaluated.map((e) => {
    const all = mean(e.outcome.quality, () => true);
    const clean = mean(e.outcome.quality, (i) => !flagged[i]);
    return {
      id: e.router.id,
      withFlagged: all.value,
      withoutFlagged: clean.value,
      items: { withFlagged: all.n, withoutFlagged: clean.n },
    };
  });
  return { ...base, excluded: [...excluded], policies };
}
