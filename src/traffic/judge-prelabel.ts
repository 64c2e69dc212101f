import type { DatasetLine } from "../contracts/dataset-line.ts";
import type { ChatRequest } from "../core/types.ts";
import { DATA_RULE, fenceData } from "../routing/data-fence.ts";

// Judge pre-labels for `routegate traffic sample --judge MODEL --labels ...`: a model proposes one
// label per sampled line, to speed a person's review. A proposal is never a label: it goes in
// `metadata.judgeLabel` with `metadata.label: "judge-prelabelled"` and `expected` stays empty, so
// an eval cannot score against it until a person sets `expected` (and `label: "human"`). The
// request text is fenced as data, so text in it cannot steer the judge.

export interface PrelabelResult {
  lines: DatasetLine[];
  labelled: number;
  /** Lines whose answer named no label (kept, without a proposal). */
  unparsed: number;
  failed: number;
}

/** Asks `ask` for each line's label (a few at a time); `judge` names the model in each line. */
export async function prelabel(
  lines: readonly DatasetLine[],
  labels: readonly string[],
  judge: string,
  ask: (request: ChatRequest, itemId: string) => Promise<string>,
  concurrency = 4,
): Promise<PrelabelResult> {
  const out = lines.map((l) => ({ ...l, metadata: { ...(l.metadata ?? {}) } }));
  const result: PrelabelResult = { lines: out, labelled: 0, unparsed: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < out.length) {
      const line = out[next++]!;
      let answer: string;
      try {
        answer = await ask(labelRequest(String(line.input), labels), line.id);
      } catch (err) {
        result.failed++;
        line.metadata.judgeError = (err as Error).message;
        continue;
      }
      const label = parseLabel(answer, labels);
      if (label === undefined) {
        result.unparsed++;
        continue;
      }
      result.labelled++;
      Object.assign(line.metadata, { label: "judge-prelabelled", judgeLabel: label, judgeModel: judge });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, out.length) }, worker));
  return result;
}

export function labelRequest(text: string, labels: readonly string[]): ChatRequest {
  return {
    messages: [
      {
        role: "system",
        content: `You propose a label for a request sent to a product's assistant; a person reviews every proposal. Choose exactly one of these labels: ${labels.join(", ")}. Answer with the label alone, nothing else. ${DATA_RULE}`,
      },
      { role: "user", content: fenceData("request", text) },
    ],
    maxTokens: 16,
    temperature: 0,
  };
}

/** The label the answer names: the whole answer, trimmed of quotes and punctuation, case-insensitive. */
export function parseLabel(answer: string, labels: readonly string[]): string | undefined {
  const said = answer
    .trim()
    .replace(/^["'`*\s]+|["'`*.\s]+$/g, "")
    .toLowerCase();
  return labels.find((l) => l.toLowerCase() === said);
}
