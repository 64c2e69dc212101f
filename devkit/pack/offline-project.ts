import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

// Fresh projects installed from the npm cache alone (`--offline`). npm resolves a package named
// only by version through the registry's metadata, which the cache may lack; a lockfile that
// names each package's exact version and integrity needs only the tarballs, which the cache has
// (the repository's own `npm ci` put them there). So each project gets a lockfile: the tarballs
// under test by path, everything else copied from the repository's package-lock.json.

type LockEntry = Record<string, unknown>;
interface RepoLock {
  packages: Record<string, LockEntry>;
}

const ROOT = new URL("../..", import.meta.url);
const repoLock = (): RepoLock => JSON.parse(readFileSync(new URL("package-lock.json", ROOT), "utf8"));

/** A packed tarball: its package.json and where it lies. */
export interface Tarball {
  file: string;
  manifest: { name: string; version: string } & Record<string, unknown>;
}

/** The package.json fields a lockfile entry repeats. */
const LOCKED_FIELDS = ["license", "dependencies", "peerDependencies", "peerDependenciesMeta", "bin", "engines"];

const sri = (file: string) => `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;

/**
 * Writes package.json and package-lock.json into `dir`: `tarballs` as file dependencies, `fromLock`
 * as dependencies at the repository's locked versions, and, when `withTheirDependencies`, every
 * package the repository installs for production (what routegate's own dependencies need).
 */
export function lockedProject(
  dir: string,
  opts: { tarballs: Tarball[]; fromLock?: string[]; devFromLock?: string[]; withTheirDependencies?: boolean },
): void {
  const lock = repoLock();
  const locked = (name: string) => {
    const entry = lock.packages[`node_modules/${name}`];
    if (!entry) throw new Error(`${name} is not in the repository's package-lock.json`);
    return entry;
  };
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  const packages: Record<string, LockEntry> = {};
  if (opts.withTheirDependencies) {
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path.startsWith("node_modules/") && !entry.dev && !entry.link && !path.startsWith("node_modules/@routegate/"))
        packages[path] = entry;
    }
  }
  for (const t of opts.tarballs) {
    const spec = `file:${relative(dir, t.file)}`;
    dependencies[t.manifest.name] = spec;
    const entry: LockEntry = { version: t.manifest.version, resolved: spec, integrity: sri(t.file) };
    for (const field of LOCKED_FIELDS) if (t.manifest[field] !== undefined) entry[field] = t.manifest[field];
    packages[`node_modules/${t.manifest.name}`] = entry;
  }
  for (const name of opts.fromLock ?? []) {
    dependencies[name] = locked(name).version as string;
    packages[`node_modules/${name}`] = locked(name);
  }
  for (const name of opts.devFromLock ?? []) {
    devDependencies[name] = locked(name).version as string;
    packages[`node_modules/${name}`] = { ...locked(name), dev: true };
  }
  const pkg = { name: "routegate-e2e-user", private: true, type: "module", dependencies, devDependencies };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  const root = { name: pkg.name, dependencies, devDependencies };
  writeFileSync(
    join(dir, "package-lock.json"),
    `${JSON.stringify({ name: pkg.name, lockfileVersion: 3, requires: true, packages: { "": root, ...packages } }, null, 2)}\n`,
  );
}

/** Packages under node_modules (scoped ones as @scope/name), nested ones included. */
export function installedPackages(dir: string): string[] {
  const found: string[] = [];
  const walk = (modules: string, prefix: string) => {
    let names: string[];
    try {
      names = readdirSync(modules);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(".")) continue;
      if (name.startsWith("@")) {
        for (const inner of readdirSync(join(modules, name))) {
          found.push(`${prefix}${name}/${inner}`);
          walk(join(modules, name, inner, "node_modules"), `${prefix}${name}/${inner} > `);
        }
      } else {
        found.push(`${prefix}${name}`);
        walk(join(modules, name, "node_modules"), `${prefix}${name} > `);
      }
    }
  };
  walk(join(dir, "node_modules"), "");
  return found.sort();
}

/** Bytes of the files under `dir` (their lengths, as `du --apparent-size` counts). */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const s = statSync(full);
    total += s.isDirectory() ? treeBytes(full) : s.size;
  }
  return total;
}
