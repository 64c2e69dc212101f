import type { ModelId } from "../../core/types.ts";
import { answerKey } from "./final-answer.ts";
import type { ConfidenceSource } from "./types.ts";

/**
 * Agreement between two cheap models: asks `other` the same request (an ordinary answer call, so
 * it is charged, and its answer can itself be final) and compares the two answers' keys (JSON
 * value, final number, or normalised label). 1 when they agree, 0 when not, null when the other
 * call failed. Two independent models rarely agree on the same wrong answer.
 */
export function agreementWith(other: ModelId, opts: { key?: (output: string) => string } = {}): ConfidenceSource {
  const key = opts.key ?? answerKey;
  return {
    name: `agrees-with:${other}`,
    async confidence({ answer, request, ctx }) {
      const second = await ctx.call(other, request);
      if (second.error || answer.error) return second.error ? null : 0;
      return key(answer.text) === key(second.text) ? 1 : 0;
    },
  };
}
