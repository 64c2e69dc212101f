import type { ModelId } from "@routegate/runtime";
import { learnedRouter, workedAnswerChecks } from "@routegate/runtime/routing";

/**
 * A learned cascade: the cheap model answers first, and a logistic regression trained on the
 * calibration split (routegate calls its fit step) predicts from the request and that answer how
 * much the strong model would gain. No hand-set rule: the code verifiers (form checks of a worked
 * numeric answer: final marker, arithmetic, hedging, unused given numbers, ...) are features whose
 * weight is learned. The fitted weights are data, carried by the exported routing config.
 */
export function learnedCascade(opts: { weak: ModelId; strong: ModelId; id?: string }) {
  return learnedRouter({
    id: opts.id ?? "learned-cascade",
    weak: opts.weak,
    strong: opts.strong,
    useWeakAnswer: true,
    verifiers: workedAnswerChecks(),
  });
}
