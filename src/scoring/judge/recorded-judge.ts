import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { Item } from "../../core/types.ts";
import type { ExactScorer } from "../scorer.ts";
import { rubricScore } from "./aggregate.ts";
import type { JudgeRecordedConfig } from "./config.ts";
import { charLength, JudgeTally } from "./tally.ts";
import type { JudgeItemDetail, JudgeRun, JudgeRunInput, JudgeScorer } from "./types.ts";

// Verdicts a real judge gave in the past, replayed instead of calling one: the MT-bench GPT-4
// single-answer scores and the AlpacaEval pairwise preferences (recorded files the real-data
// tests read in place). They go through the same mapping (rubric (s - 1) / 9) and the same
// diagnostics as live verdicts, which is what they validate; position flips cannot be seen in
// single-order records, so flipRate is null.

export function createRecordedJudge(config: JudgeRecordedConfig, agreeWith: ExactScorer | null): JudgeScorer {
  const scale = config.scale ?? (config.mode === "rubric" ? "1-10" : "unit");
  const mode = config.mode;
  const promptHash =
    config.promptHash ??
    createHash("sha256")
      .update(stringify({ recorded: config.judge, mode, scale }) ?? "")
      .digest("hex")
      .slice(0, 16);
  const toScore = (v: number) => (scale === "1-10" ? rubricScore(v) : v);
  return {
    kind: "judge",
    name: `judge-recorded(${config.judge})`,
    mode,
    judges: [],
    promptHash,
    run: async (input: JudgeRunInput): Promise<JudgeRun> => {
      const tally = new JudgeTally(agreeWith);
      const details = input.models.map((model, k) =>
        input.items.map((item, i): JudgeItemDetail => {
          const answer = input.results[k]![i]!;
          if (answer.error) return { score: 0, skipped: "answer-error", asks: [] };
          const recorded = config.scores[item.id]?.[model];
          if (
            recorded === undefined ||
            !Number.isFinite(recorded) ||
            (scale === "unit" && (recorded < 0 || recorded > 1))
          ) {
            const reason =
              recorded === undefined
                ? `no recorded verdict for ${model} on ${item.id}`
                : `recorded verdict ${recorded} is out of range`;
            tally.failed(reason);
            return { score: 0, judgeError: reason, asks: [] };
          }
          const score = toScore(recorded);
          // Listed for review only: recorded verdicts are what a real judge decided, replayed as they were.
          const question = typeof item.input === "string" ? item.input : "";
          tally.saw(item.id, "question", question);
          tally.saw(item.id, `answer:${model}`, answer.text, question);
          if (mode === "pairwise")
            tally.pair({ score, lengthDiff: charLength(answer.text) - charLength(referenceText(item)) });
          else tally.grade(score, answer.text);
          tally.scored(item, answer.text, score);
          return { score, asks: [] };
        }),
      );
      const summary = tally.summary({
        model: `recorded: ${config.judge}`,
        mode,
        promptHash,
        items: input.items,
        simulated: false,
        recorded: true,
      });
      return {
        score: details.map((row) => Float64Array.from(row, (d) => d.score)),
        judgeError: details.map((row) => Uint8Array.from(row, (d) => (d.judgeError ? 1 : 0))),
        details,
        summary,
        warnings: tally.warnings(summary, input.models.length * input.items.length),
        simulated: false,
      };
    },
  };
}

/** The reference a recorded pairwise verdict was given against: the item's expected text ("" if none). */
function referenceText(item: Item): string {
  return typeof item.expected === "string" ? item.expected : "";
}
