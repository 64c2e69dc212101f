import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A dataset mixing two features (and a hostile-looking name to prove escaping), scored with `exact`:
 * enough items for a held-out split and a visible spread between the sim models.
 */
export function writeMixedDataset(dir: string, n = 60, name = "mixed"): string {
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      input: `Question ${i}: what is the code word for item ${i}? Answer with one word.`,
      expected: `Word${i}`,
      metadata: { feature: i % 3 === 0 ? "billing <b>&</b>" : "tech", difficulty: ["easy", "medium", "hard"][i % 3] },
    }),
  );
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

export const adhocArgs = (dir: string, dataset: string, extra: string[] = []) => [
  "eval",
  "--dataset",
  dataset,
  "--models",
  "sim:cheap,sim:mid,sim:flagship",
  "--weak",
  "sim:cheap",
  "--strong",
  "sim:flagship",
  "--scorer",
  "exact",
  "--store",
  join(dir, "store.sqlite"),
  "--reports",
  join(dir, "reports"),
  "--quiet",
  ...extra,
];
