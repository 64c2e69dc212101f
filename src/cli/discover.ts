import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../core/errors.ts";

/** `routegate eval` with no names runs every evals/*.eval.ts; a name selects evals/<name>.eval.ts. */
export function discoverEvalFiles(cwd: string, names: readonly string[]): string[] {
  const dir = join(cwd, "evals");
  if (names.length === 0) {
    if (!existsSync(dir)) {
      throw new InputError(
        dir,
        undefined,
        "no evals/ folder here",
        "run from the project root, or use --dataset/--models/--scorer for an ad-hoc run",
      );
    }
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".eval.ts"))
      .sort()
      .map((f) => join(dir, f));
    if (files.length === 0)
      throw new InputError(dir, undefined, "no *.eval.ts files", "add an eval file (see docs/eval-file.md)");
    return files;
  }
  return names.map((name) => {
    const candidates = [resolve(cwd, name), join(dir, `${name}.eval.ts`), join(dir, name)];
    const found = candidates.find((c) => existsSync(c) && c.endsWith(".ts"));
    if (!found)
      throw new InputError(name, undefined, "no such eval", `use a file path or the name of evals/<name>.eval.ts`);
    return found;
  });
}
