import type { JudgeSummary } from "../../contracts/judge-summary.ts";
import { InputError } from "../../core/errors.ts";

// Two runs' qualities are comparable only when the same judge, with the same prompt, scored both
// (docs/metrics.md#judge): a new judge snapshot or an edited rubric moves every score.

/** What differs between two runs' judges ([] when they judged alike, or neither used a judge). */
export function judgeDifferences(a: JudgeSummary | null | undefined, b: JudgeSummary | null | undefined): string[] {
  if (!a && !b) return [];
  if (!a || !b) return [`${a ? "only the first" : "only the second"} run was scored by a judge`];
  const out: string[] = [];
  if (a.model !== b.model) out.push(`judge model ${a.model} vs ${b.model}`);
  if (a.mode !== b.mode) out.push(`judge mode ${a.mode} vs ${b.mode}`);
  if (a.promptHash !== b.promptHash) out.push(`judge prompt hash ${a.promptHash} vs ${b.promptHash}`);
  if (a.snapshots && b.snapshots && a.snapshots.join("+") !== b.snapshots.join("+"))
    out.push(`judge snapshot ${a.snapshots.join("+")} vs ${b.snapshots.join("+")}`);
  if ((a.panel ?? null) !== (b.panel ?? null)) out.push(`panel rule ${a.panel ?? "none"} vs ${b.panel ?? "none"}`);
  return out;
}

/**
 * Refuses (InputError, exit 2) to compare two runs judged differently. Pass each summary's `judge`
 * field; `labels` name the runs in the message (e.g. their run ids).
 */
export function assertSameJudge(
  a: JudgeSummary | null | undefined,
  b: JudgeSummary | null | undefined,
  labels: { a: string; b: string } = { a: "the first run", b: "the second run" },
): void {
  const diff = judgeDifferences(a, b);
  if (diff.length === 0) return;
  throw new InputError(
    `${labels.a} vs ${labels.b}`,
    "judge",
    `the runs were judged differently (${diff.join("; ")}), so their scores are not comparable`,
    "re-run one of them with the other's judge model and prompt (the store re-uses every answer; only judge calls are made)",
  );
}
