// What may ship in routegate's two npm packages, checked over `npm pack --json` file lists: by the
// pack test (test/pack/) on every `npm test`, and on the real tarballs by `npm run e2e:pack`.

/** Never in a tarball: tests, fixtures, reports, dev tools, examples, sources, data and build leftovers. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [
    /^(test|reports|devkit|bench|datasets|evals|routers|src|scripts|packages|docs|\.github|\.ci|node_modules)\//,
    "a repository folder",
  ],
  [/(^|\/)\.routegate\//, "an outcome store"],
  [/\.test\.[cm]?[jt]s(\.map)?$|\.test\.d\.ts$/, "a test"],
  [/\.(jsonl|sqlite|sqlite-wal|sqlite-shm|db|tgz)$/, "a data file"],
  [
    /(^|\/)(build-meta\.json|tsconfig[^/]*\.json|vitest\.config\.ts|dangerfile\.ts|biome\.json)$/,
    "a build or dev file",
  ],
];

/** Everything a package may hold; anything else is a mistake in its `files` list. */
const ALLOWED: Record<string, RegExp[]> = {
  routegate: [
    /^(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/,
    /^bin\/routegate\.mjs$/,
    /^dist\/.+\.(js|js\.map|d\.ts)$/,
    /^dist\/pricing\/(training-)?prices\.json$/,
    /^dist\/report\/templates\/[^/]+\.(hbs|hbs\.cjs|css)$/,
  ],
  "@routegate/runtime": [
    /^(package\.json|README\.md|LICENSE)$/,
    /^dist\/[^/]+\.(js|js\.map)$/,
    /^dist\/chunks\/[^/]+\.(js|js\.map)$/,
    /^dist\/types\/.+\.d\.ts$/,
    /^dist\/THIRD-PARTY-LICENSES\.txt$/,
  ],
};

/** Why each path should not ship (empty: the list is clean). */
export function tarballProblems(pkg: string, paths: readonly string[]): string[] {
  const allowed = ALLOWED[pkg];
  if (!allowed) return [`no rules for package ${pkg}`];
  const problems: string[] = [];
  for (const path of paths) {
    const forbidden = FORBIDDEN.find(([re]) => re.test(path));
    if (forbidden) problems.push(`${path}: ${forbidden[1]}`);
    else if (!allowed.some((re) => re.test(path))) problems.push(`${path}: not among the files ${pkg} ships`);
  }
  return problems;
}

/** Every file the package's `exports` point at for consumers (the in-repository source condition aside). */
export function exportTargets(exportsField: Record<string, unknown>): string[] {
  const targets: string[] = [];
  const walk = (value: unknown, condition: string) => {
    if (typeof value === "string") {
      if (condition !== "@routegate/source") targets.push(value.replace(/^\.\//, ""));
    } else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) walk(inner, key.startsWith(".") ? condition : key);
    }
  };
  walk(exportsField, "");
  return [...new Set(targets)];
}

/**
 * Modules that must never be bundled into @routegate/runtime, given esbuild's metafile inputs (paths
 * relative to packages/runtime/): the evaluation's providers and batch code, the tokenizer, the
 * registry, and the rooms above the runtime (store, collect, evaluate, report, CLI, ...).
 */
export function bundleProblems(inputs: readonly string[]): string[] {
  return inputs.filter((input) => {
    const src = /(?:^|\/)src\/(.+)$/.exec(input.replace(/^(\.\.\/)+/, ""))?.[0] ?? "";
    if (input.includes("node_modules/")) return !/node_modules\/(zod|safe-stable-stringify)\//.test(input);
    return (
      /^src\/providers\/offline\//.test(src) ||
      /\/batch\.ts$/.test(src) ||
      /^src\/providers\/(tokens|registry|offline-loader)\.ts$/.test(src) ||
      /^src\/(store|collect|evaluate|gate|report|reporters|cli|economics|export|scoring|datasets|config)\//.test(src)
    );
  });
}
