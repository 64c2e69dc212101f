// `npm run e2e:pack`: routegate as a user meets it, from the packed tarballs to a production app,
// installed from the npm cache alone. Not part of `npm test` (it builds, packs and installs:
// minutes); .ci/run runs it as its own step. Exits 1 at the first broken step.
//
//  1. npm pack both packages; check what each tarball holds.
//  2. A fresh project installs the tarballs; `npx routegate init --yes`; what init wrote type-checks
//     with the user's tsc (module NodeNext, and Bundler) and `npm run eval` passes keyless (SIMULATED).
//  3. The specs switch to openai: models at a local fake provider (allow-listed base URL); collect
//     (`npm run eval`), `npx routegate export`, the user's build compiles routers/, and a plain
//     `node app.mjs` routes a request with the exported config over HTTP.
//  4. A service installs @routegate/runtime alone (--omit=dev): what got installed, its size, what a
//     plain .mjs loads, the refusal naming a missing SDK, then routing once openai is installed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { routeApp, serviceCheck } from "./apps.ts";
import { startLabellingServer } from "./labelling-server.ts";
import { installedPackages, lockedProject, type Tarball, treeBytes } from "./offline-project.ts";
import { must, userEnv } from "./shell.ts";
import { bundleProblems, exportTargets, tarballProblems } from "./tarball-rules.ts";
import { againstBareNode, describeTimed } from "./timing.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OFFLINE = ["--offline", "--prefer-offline", "--no-audit", "--no-fund"];
const KEY = "sk-e2e-pack-0123456789";
const MiB = 1024 * 1024;
const figures: string[] = [];
let passed = 0;

function step(title: string): void {
  console.log(`\n== ${title}`);
}
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`e2e:pack: ${what}`);
  passed++;
  console.log(`  ok: ${what}`);
}

async function pack(work: string): Promise<{ full: Tarball; runtime: Tarball }> {
  step("npm pack (prepack builds each package)");
  const packed: Tarball[] = [];
  for (const args of [[], ["-w", "@routegate/runtime"]]) {
    const out = await must("npm", ["pack", "--json", "--pack-destination", work, ...args], { cwd: ROOT });
    const [info] = JSON.parse(out.stdout.slice(out.stdout.indexOf("["))) as Array<{
      name: string;
      filename: string;
      size: number;
      unpackedSize: number;
      entryCount: number;
      files: Array<{ path: string }>;
    }>;
    const files = info!.files.map((f) => f.path);
    const manifest = JSON.parse(
      readFileSync(join(ROOT, args.length ? "packages/runtime/package.json" : "package.json"), "utf8"),
    );
    check(
      tarballProblems(info!.name, files).length === 0,
      `${info!.name}: no test, report, dev tool, source or data file`,
    );
    const missing = exportTargets(manifest.exports).filter((t) => !files.includes(t));
    check(missing.length === 0, `${info!.name}: every exported file and its types are in the tarball`);
    figures.push(
      `${info!.name} tarball: ${(info!.size / 1024).toFixed(0)} KiB packed, ${(info!.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${info!.entryCount} files`,
    );
    packed.push({ file: join(work, info!.filename), manifest });
  }
  // What esbuild put into the runtime's bundle (its metafile, written by the build prepack just ran).
  const meta = JSON.parse(readFileSync(join(ROOT, "packages/runtime/build-meta.json"), "utf8")) as {
    inputs: Record<string, unknown>;
  };
  const inputs = Object.keys(meta.inputs);
  const inBundle = bundleProblems(inputs);
  check(
    inBundle.length === 0 && inputs.some((i) => i.endsWith("src/providers/openai/chat.ts")),
    `@routegate/runtime's bundle: ${inputs.length} modules, no sim, replay, batch, tokenizer, store or CLI code${inBundle.length ? ` (found: ${inBundle.join(", ")})` : ""}`,
  );
  return { full: packed[0]!, runtime: packed[1]! };
}

async function userProject(work: string, tarballs: { full: Tarball; runtime: Tarball }): Promise<void> {
  const dir = join(work, "user");
  mkdirSync(dir);
  step("a user's project: install the tarballs (npm cache only), then routegate init --yes");
  lockedProject(dir, {
    tarballs: [tarballs.full, tarballs.runtime],
    devFromLock: ["typescript"],
    withTheirDependencies: true,
  });
  const installStart = Date.now();
  await must("npm", ["ci", ...OFFLINE], { cwd: dir });
  figures.push(
    `user project install (npm ci --offline: routegate, @routegate/runtime, typescript; better-sqlite3 built by its install script): ${((Date.now() - installStart) / 1000).toFixed(0)} s`,
  );
  const version = await must("npx", ["routegate", "--version"], { cwd: dir });
  check(version.stdout.trim() === tarballs.full.manifest.version, "npx routegate --version runs the installed CLI");
  const init = await must("npx", ["routegate", "init", "--yes"], { cwd: dir });
  check(init.stdout.includes("wrote   evals/support.eval.ts"), "init wrote the starter");

  step("what init wrote type-checks with the user's tsc");
  await must("npx", ["tsc", "-p", "."], { cwd: dir });
  check(true, "tsc, module NodeNext (the tsconfig init wrote)");
  writeFileSync(
    join(dir, "tsconfig.bundler.json"),
    JSON.stringify({
      extends: "./tsconfig.json",
      compilerOptions: { module: "ESNext", moduleResolution: "Bundler", skipLibCheck: false },
    }),
  );
  await must("npx", ["tsc", "-p", "tsconfig.bundler.json"], { cwd: dir });
  check(true, "tsc, module ESNext + moduleResolution Bundler, libraries checked too");

  step("npm run eval, keyless");
  const sim = await must("npm", ["run", "eval"], { cwd: dir, env: userEnv({ OPENAI_API_KEY: "" }) });
  check(sim.stderr.includes("SIMULATED run"), "the sim run passes its gate and says SIMULATED");
  await startup(dir);

  step("real model specs at a local fake provider; collect, export, build, route");
  const server = await startLabellingServer(join(dir, "datasets/support/items.jsonl"));
  try {
    const evalFile = join(dir, "evals/support.eval.ts");
    const spec = (model: string) =>
      `{ id: "openai:${model}", provider: "openai", model: "${model}", baseUrl: "${server.openaiBaseUrl}" }`;
    const edited = readFileSync(evalFile, "utf8")
      .replace('const weak = "sim:cheap";', 'const weak = "openai:gpt-4o-mini";')
      .replace('const strong = "sim:flagship";', 'const strong = "openai:gpt-4o";')
      .replace(/models: \[[^\]]*\],/, `models: [${spec("gpt-4o-mini")}, ${spec("gpt-4o")}],`);
    check(!edited.includes('"sim:'), "the eval names openai: models only");
    writeFileSync(evalFile, edited);
    const env = userEnv({ OPENAI_API_KEY: KEY });
    const collected = await must("npm", ["run", "eval"], { cwd: dir, env });
    check(!collected.stderr.includes("SIMULATED"), "npm run eval collects from the server, exit 0, not simulated");
    check(server.requests.length === 48, `48 answers collected over HTTP (got ${server.requests.length})`);
    const exported = await must("npx", ["routegate", "export", "--eval", "support", "--router", "escalation"], {
      cwd: dir,
      env,
    });
    const config = JSON.parse(readFileSync(join(dir, "routing.config.json"), "utf8"));
    check(
      config.router.id === "escalation" && config.models.every((m: { provider: string }) => m.provider === "openai"),
      "routing.config.json exports the escalation router over openai models only",
    );
    check(exported.stderr.includes(server.openaiBaseUrl), "export names the base URL the host must allow");
    // The user's own build: tsc compiles routers/ to JavaScript the service imports.
    await must("npx", ["tsc", "-p", ".", "--noEmit", "false", "--outDir", "build"], { cwd: dir });
    writeFileSync(join(dir, "app.mjs"), routeApp);
    const before = server.requests.length;
    const app = await must("node", ["app.mjs"], {
      cwd: dir,
      env: userEnv({ OPENAI_API_KEY: KEY, BASE_URL: server.openaiBaseUrl }),
    });
    const decision = JSON.parse(app.stdout) as { model: string; answer: string; router: string };
    const sent = server.requests.slice(before);
    check(
      decision.router === "escalation" && sent.length === 1 && sent[0]!.headers.authorization === `Bearer ${KEY}`,
      `node app.mjs routed one request over HTTP with the exported config (${decision.model} answered "${decision.answer}")`,
    );
  } finally {
    await server.close();
  }
}

/** Start-up of the installed CLI (dist/, as users run it) against `node -e 0`, in the user's project. */
async function startup(dir: string): Promise<void> {
  step("start-up of the installed CLI against node -e 0 (for the record; speed is not a test)");
  const cli = join(dir, "node_modules/routegate/bin/routegate.mjs");
  const env = userEnv({ OPENAI_API_KEY: "" });
  const help = await againstBareNode([cli, "--help"], { cwd: dir, pairs: 9, env });
  figures.push(`routegate --help: ${describeTimed(help, 9)}`);

  // A 5-item eval end to end, cold: a fresh store and reports each time (collect, score, calibrate,
  // gate-free, reports written), on sim models so that no network time is in it.
  const lines = readFileSync(join(dir, "datasets/support/items.jsonl"), "utf8").split("\n").filter(Boolean);
  writeFileSync(join(dir, "five.jsonl"), `${lines.slice(0, 5).join("\n")}\n`);
  const scratch = join(dir, ".startup");
  const evalArgs = [
    cli,
    "eval",
    "--dataset",
    "five.jsonl",
    "--models",
    "sim:cheap,sim:flagship",
    "--weak",
    "sim:cheap",
    "--strong",
    "sim:flagship",
    "--scorer",
    "exact",
    "--store",
    join(scratch, "outcomes.sqlite"),
    "--reports",
    join(scratch, "reports"),
    "--quiet",
  ];
  const fresh = () => rmSync(scratch, { recursive: true, force: true });
  fresh();
  const once = await must("node", [...evalArgs, "--json"], { cwd: dir, env });
  // `eval --json` prints { schemaVersion, runs: [summary, ...] }.
  const [summary] = (JSON.parse(once.stdout) as { runs: Array<{ dataset: { items: number }; simulated: boolean }> })
    .runs;
  if (!summary) throw new Error("eval --json printed no run");
  check(summary.dataset.items === 5 && summary.simulated, "the 5-item ad-hoc eval runs from dist (SIMULATED)");
  const five = await againstBareNode(evalArgs, { cwd: dir, pairs: 5, env, before: fresh });
  figures.push(`5-item eval end to end (cold store, reports written): ${describeTimed(five, 5)}`);
  fresh();
}

async function leanService(work: string, runtime: Tarball): Promise<void> {
  const dir = join(work, "service");
  mkdirSync(dir);
  step("a service installs @routegate/runtime alone, --omit=dev");
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "service", private: true, type: "module" }, null, 2)}\n`,
  );
  await must("npm", ["install", ...OFFLINE, "--omit=dev", runtime.file], { cwd: dir });
  const installed = installedPackages(dir);
  check(installed.join(",") === "@routegate/runtime", `installed: ${installed.join(", ")}`);
  const bytes = treeBytes(join(dir, "node_modules"));
  check(bytes <= 5 * MiB, `node_modules holds ${(bytes / MiB).toFixed(2)} MiB (<= 5 MiB without provider SDKs)`);
  figures.push(
    `@routegate/runtime installed (--omit=dev, no SDK): ${installed.length} package, ${(bytes / MiB).toFixed(2)} MiB`,
  );

  writeFileSync(join(dir, "check.mjs"), serviceCheck);
  const alone = await must("node", ["check.mjs"], { cwd: dir });
  const seen = JSON.parse(alone.stdout) as { loaded: string[]; refusal: string; exports: string[] };
  check(
    seen.exports.join(",") === "function,function,function",
    "createRouter, defineRouter and lengthRouter import from a plain .mjs",
  );
  check(
    seen.loaded.join(",") === "@routegate/runtime",
    `the import loads no package but the runtime (${seen.loaded.join(", ")})`,
  );
  check(/needs the package "openai".*npm install openai@\^6/.test(seen.refusal), `refused at load: ${seen.refusal}`);

  step("the same service once it installs the openai SDK: routes over HTTP");
  rmSync(join(dir, "node_modules"), { recursive: true });
  lockedProject(dir, { tarballs: [runtime], fromLock: ["openai"] });
  await must("npm", ["ci", ...OFFLINE, "--omit=dev"], { cwd: dir });
  const server = await startLabellingServer(join(work, "user/datasets/support/items.jsonl"));
  try {
    const routed = await must("node", ["check.mjs", "route"], {
      cwd: dir,
      env: userEnv({ OPENAI_API_KEY: KEY, BASE_URL: server.openaiBaseUrl }),
    });
    const r = JSON.parse(routed.stdout) as { loaded: string[]; answer: string };
    check(r.answer === "shipping" && server.requests.length === 1, "routed to the fake provider, answered from it");
    check(r.loaded.includes("openai"), `loaded what the config names: ${r.loaded.join(", ")}`);
  } finally {
    await server.close();
  }

  step("cold import against node -e 0 (for the record; speed is not a test)");
  const cold = await againstBareNode(["--input-type=module", "-e", 'await import("@routegate/runtime")'], {
    cwd: dir,
    pairs: 9,
  });
  figures.push(`cold import of @routegate/runtime: ${describeTimed(cold, 9)}`);
}

const work = mkdtempSync(join(tmpdir(), "routegate-e2e-pack-"));
try {
  const tarballs = await pack(work);
  await userProject(work, tarballs);
  await leanService(work, tarballs.runtime);
  console.log(`\n== figures\n${figures.map((f) => `  ${f}`).join("\n")}\n\ne2e:pack: ${passed} passed, 0 failed`);
  rmSync(work, { recursive: true, force: true });
} catch (err) {
  console.error(`\n${(err as Error).message}\n(work folder kept: ${work})\n\ne2e:pack: ${passed} passed, 1 failed`);
  process.exitCode = 1;
}
