import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A routing project on disk: 80 support tickets and the recorded answers of three models with known
 * costs. `strong` is right on every ticket but two, `mid` on billing tickets and every third other,
 * `cheap` on billing tickets only; topics differ in wording, so text features and neighbours can tell.
 */
export function writeRoutingProject(dir: string, n = 80): { dataset: string; outcomes: string; models: string[] } {
  const topics = ["billing invoice refund", "login password reset", "crash error stack trace", "shipping parcel late"];
  const items = Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    input: `Ticket ${i}: ${topics[i % 4]} ${"please help ".repeat(i % 3)}`,
    expected: `label-${i % 4}`,
  }));
  const right = {
    cheap: (i: number) => i % 4 === 0,
    mid: (i: number) => i % 4 === 0 || i % 3 === 0,
    strong: (i: number) => i !== 5 && i !== 11,
  };
  const cost = { cheap: 0.0001, mid: 0.001, strong: 0.01 };
  const lines = items.flatMap((item, i) =>
    (Object.keys(right) as Array<keyof typeof right>).map((m) =>
      JSON.stringify({
        itemId: item.id,
        model: m,
        output: right[m](i) ? item.expected : "label-x",
        costUsd: cost[m],
        latencyMs: m === "strong" ? 900 : 200,
      }),
    ),
  );
  const dataset = join(dir, "tickets.jsonl");
  const outcomes = join(dir, "answers.jsonl");
  writeFileSync(dataset, `${items.map((x) => JSON.stringify(x)).join("\n")}\n`);
  writeFileSync(outcomes, `${lines.join("\n")}\n`);
  return { dataset, outcomes, models: ["cheap", "mid", "strong"].map((m) => `replay:${m}@${outcomes}`) };
}
