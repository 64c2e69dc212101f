import { z } from "zod";
import type { Item } from "../core/types.ts";
import { parseJsonlLines, readTextFile } from "../datasets/jsonl.ts";

// Production traffic as `distill --from` reads it: one line per request the teacher answered.
// Traffic has no labels in general: a line passes on its `expected` answer (the eval's scorer) or,
// without one, on a judge score at least the stated threshold (`--judge-threshold`); a line with
// neither is left out, never guessed.

export const TrafficLine = z.strictObject({
  id: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  /** The item input, rendered with the eval's own prompt templates (as a dataset item's would be). */
  input: z.union([z.string(), z.record(z.string(), z.unknown())]),
  /** The teacher's answer as production served it. */
  output: z.string(),
  /** The model that answered; when given it must be the teacher. */
  model: z.string().optional(),
  expected: z.unknown().optional(),
  /** The judge's score of `output` in [0, 1] (e.g. from a judged eval over this traffic). */
  judgeScore: z.number().min(0).max(1).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type TrafficLine = z.output<typeof TrafficLine>;

export interface TrafficRecord {
  item: Item;
  output: string;
  model: string | undefined;
  judgeScore: number | undefined;
}

export function loadTraffic(file: string): TrafficRecord[] {
  const lines = parseJsonlLines(
    readTextFile(file, "the traffic file"),
    file,
    TrafficLine,
    'each line is {"input", "output", "id"?, "model"?, "expected"?, "judgeScore"?, "metadata"?}',
  );
  return lines.map(({ value, line }) => ({
    item: {
      id: value.id ?? `traffic-line-${line}`,
      input: value.input,
      ...(value.expected !== undefined ? { expected: value.expected as Item["expected"] } : {}),
      ...(value.metadata ? { metadata: value.metadata } : {}),
    },
    output: value.output,
    model: value.model,
    judgeScore: value.judgeScore,
  }));
}
