import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// In a user's repository routegate is a dependency: the code that decides the verdict is the
// routegate version its lockfile pins, plus any patch applied to it on install.

const LOCKFILES = ["npm-shrinkwrap.json", "package-lock.json"] as const;
/** patch-package and pnpm keep patches in patches/, yarn in .yarn/patches/. */
const PATCH_DIRS = ["patches", ".yarn/patches"] as const;

/** routegate's version in `dir`'s npm lockfile, the file it came from; null when none pins it. */
export function lockedRoutegate(dir: string): { version: string; file: string } | null {
  for (const file of LOCKFILES) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    try {
      const lock = JSON.parse(readFileSync(path, "utf8")) as {
        packages?: Record<string, { version?: string }>;
        dependencies?: Record<string, { version?: string }>;
      };
      const version = lock.packages?.["node_modules/routegate"]?.version ?? lock.dependencies?.["routegate"]?.version;
      if (typeof version === "string") return { version, file };
    } catch {
      // An unreadable lockfile pins nothing we can compare; npm itself reports it.
    }
    return null;
  }
  return null;
}

/** Patches to routegate (their paths and contents) in `dir`. */
export function routegatePatches(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of PATCH_DIRS) {
    const full = join(dir, rel);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full)) {
      if (/^routegate[+@-]/.test(name)) out.set(`${rel}/${name}`, readFileSync(join(full, name), "utf8"));
    }
  }
  return out;
}

/** Patch files to routegate added, removed or edited between two checkouts. */
export function changedRoutegatePatches(baseDir: string, prDir: string): string[] {
  const a = routegatePatches(baseDir);
  const b = routegatePatches(prDir);
  return [...new Set([...a.keys(), ...b.keys()])].filter((f) => a.get(f) !== b.get(f)).sort();
}

/** The routegate running this command (what computes the verdict in a user's repository). */
export function runningRoutegateVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
