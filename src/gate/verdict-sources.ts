import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * In routegate's own repository, the sources that decide a verdict: the gate, the statistics, the
 * evaluation code that prepares the gate's inputs and adds its checks up, and the lockfile. A change to any of
 * them is flagged for its own review (and CODEOWNERS covers the same paths).
 */
export const VERDICT_SOURCES: readonly string[] = [
  "src/gate",
  "src/stats",
  "src/evaluate/gate",
  "src/evaluate/summary/summarise.ts",
  "src/evaluate/matrix/split.ts",
  "src/evaluate/matrix/masked.ts",
  "src/evaluate/matrix/policy-outcome.ts",
  "src/evaluate/matrix/decide-all.ts",
  // What gets installed, and patched on install: the statistics' own dependencies among it.
  "package-lock.json",
  "patches",
];

/** Is `root` a checkout of routegate itself (where the gate's sources can be read from the base)? */
export function isRoutegateRepo(root: string): boolean {
  const pkg = join(root, "package.json");
  if (!existsSync(pkg) || !existsSync(join(root, "src/gate/non-inferiority.ts"))) return false;
  try {
    return (JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name === "routegate";
  } catch {
    return false;
  }
}

/** Verdict sources that differ between two checkouts (added, removed or edited), tests left out. */
export function changedVerdictSources(baseDir: string, prDir: string, paths = VERDICT_SOURCES): string[] {
  const files = new Set<string>();
  for (const root of [baseDir, prDir]) for (const p of paths) for (const f of listFiles(root, p)) files.add(f);
  return [...files]
    .filter((f) => !/\.test\.ts$/.test(f))
    .filter((f) => read(join(baseDir, f)) !== read(join(prDir, f)))
    .sort();
}

function listFiles(root: string, rel: string): string[] {
  const full = join(root, rel);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [rel];
  return readdirSync(full).flatMap((name) => listFiles(root, `${rel}/${name}`));
}

function read(file: string): string | null {
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}
