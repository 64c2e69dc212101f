import { stringify } from "safe-stable-stringify";
import type { ChatRequest, Item } from "../core/types.ts";
import type { OutcomeRecord } from "../store/outcome-store.ts";
import type { TeacherAnswer } from "./distill.ts";

/**
 * The teacher's stored answer to each eval item, asked exactly the eval's current prompt (its own
 * templates and request settings): an answer stored for an older template taught the model a
 * different task and is counted as stale, never written. Of several matching answers (snapshots
 * over time) the newest is taken.
 */
export function teacherAnswers(
  items: readonly Item[],
  render: (item: Item) => ChatRequest,
  stored: readonly OutcomeRecord[],
): { answers: TeacherAnswer[]; noAnswer: number; staleAnswer: number } {
  const byItem = new Map<string, OutcomeRecord[]>();
  for (const r of stored) {
    if (r.identity.parents.length > 0) continue;
    byItem.set(r.identity.itemId, [...(byItem.get(r.identity.itemId) ?? []), r]);
  }
  const answers: TeacherAnswer[] = [];
  let noAnswer = 0;
  let staleAnswer = 0;
  for (const item of items) {
    const records = byItem.get(item.id);
    if (!records?.length) {
      noAnswer++;
      continue;
    }
    const { cache: _hint, ...request } = render(item);
    const want = stringify(request);
    const match = records
      .filter((r) => stringify(r.request) === want)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!match) {
      staleAnswer++;
      continue;
    }
    answers.push({ item, request, output: match.output });
  }
  return { answers, noAnswer, staleAnswer };
}
