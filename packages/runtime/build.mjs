// `npm run build` (and `prepack`) of @routegate/runtime: the runtime closure of the routegate
// repository's src/, bundled by esbuild into dist/, with tsc's declarations in dist/types/.
//
// A bundle, unlike the main package's per-file tsc build: the runtime's own dependencies (zod,
// safe-stable-stringify) go inside it, so a service installs no zod package (6 MB on its own) and
// the install stays small. The provider adapters are split into chunks that load only when a
// config names their provider, and the SDKs stay outside: they are optional peer dependencies.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(`${here}/package.json`, "utf8"));
const BUNDLED = ["zod", "safe-stable-stringify"];

rmSync(`${here}/dist`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: { index: "src/index.ts", routing: "src/routing.ts" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // Peer dependencies are the host's: never bundled, resolved from the service's node_modules.
  external: Object.keys(pkg.peerDependencies).filter((name) => !BUNDLED.includes(name)),
  metafile: true,
  logLevel: "warning",
});
// What went into each file, for the boundary test (not shipped).
writeFileSync(`${here}/build-meta.json`, JSON.stringify(result.metafile));

// The licences of the code bundled in: MIT, which asks that its notice go with every copy.
const notices = BUNDLED.map((name) => {
  const dir = packageDir(name);
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  return `${name}@${version}\n\n${readFileSync(join(dir, "LICENSE"), "utf8").trim()}\n`;
});
writeFileSync(`${here}/dist/THIRD-PARTY-LICENSES.txt`, notices.join("\n---\n\n"));

/** A package's folder: above its entry, the first package.json that names it (some export no ./package.json). */
function packageDir(name) {
  let dir = dirname(require.resolve(name));
  while (
    !existsSync(join(dir, "package.json")) ||
    JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name !== name
  )
    dir = dirname(dir);
  return dir;
}

const tsc = require.resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: here, stdio: "inherit" });
