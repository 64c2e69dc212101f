import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

// Planted keys, one set per suite run, and the search for them in everything a trial wrote or
// printed: store (with its WAL), reports, exported configs, stdout and stderr.

export function plantedKeys(): Record<string, string> {
  const salt = Math.random().toString(36).slice(2, 12);
  return {
    OPENAI_API_KEY: `sk-chaos-openai-${salt}`,
    ANTHROPIC_API_KEY: `sk-ant-chaos-${salt}`,
    GEMINI_API_KEY: `AIza-chaos-gemini-${salt}`,
  };
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Occurrences of any key value in the files under `dir` and in `outputs`. */
export function secretsIn(dir: string, outputs: string[], keys: Record<string, string>): number {
  const values = Object.values(keys);
  const texts = [...filesUnder(dir).map((f) => readFileSync(f).toString("latin1")), ...outputs];
  let found = 0;
  for (const text of texts) for (const v of values) found += text.split(v).length - 1;
  return found;
}
