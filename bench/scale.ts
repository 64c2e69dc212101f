import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultPriceBook } from "../src/pricing/price-book.ts";
import { generateScaleData, type ScaleData } from "./scale/generate.ts";

// The scale entry of `npm run bench`: whole routegate processes on seeded synthetic data (an
// offline ad-hoc eval, reports written), first run and repeat run, at two sizes; a numpy script
// doing the same evaluation; `--help` against `node -e 0`. Goals are ratios measured here, in
// the same run. Sizes: ROUTEGATE_BENCH_SCALE="N1,N2" (default 5000,20000: a few minutes on a small
// shared machine; the goals name 100K and 1M, which take far longer there).
// ROUTEGATE_FROM=dist times the compiled CLI (`npm run build` first), as an installed package runs;
// by default a checkout runs its sources through tsx. The run's routers are the length and random
// families (what the numpy reference computes); the learned router and the bootstrap are measured
// apart, in-process (bench/scale-learned.ts, docs/testing.md); a kNN fit is quadratic in the
// calibration items.

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin/routegate.mjs");
const from = process.env["ROUTEGATE_FROM"] === "dist" ? "dist" : "source";
if (from === "dist" && !existsSync(join(root, "dist/cli/main.js")))
  throw new Error("ROUTEGATE_FROM=dist: no dist/ here; run `npm run build` first");
const rssHook = join(root, "bench/scale/peak-rss.mjs");

interface Timed {
  seconds: number;
  peakRssMb: number;
  stdout: string;
  /** The 1-minute load average when the process started (2 shared cores: a figure without it means little). */
  load: number;
}

function timed(cmd: string, args: string[], cwd: string): Timed {
  const rssFile = join(cwd, `rss-${process.hrtime.bigint()}`);
  const load = loadavg()[0]!;
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, ROUTEGATE_PEAK_RSS_FILE: rssFile, ROUTEGATE_FROM: from },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const kb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : Number.NaN;
  return { seconds, peakRssMb: kb / 1024, stdout: r.stdout, load };
}

/** The exact command the bench times (and a user can run on the same files). */
function evalArgs(data: ScaleData, store: string, reports: string): string[] {
  const [weak, strong] = [data.models[0]!, data.models[data.models.length - 1]!].map(
    (m) => `replay:${m}@${data.outcomes}`,
  );
  return [
    "eval",
    "--dataset",
    data.dataset,
    "--models",
    data.models.map((m) => `replay:${m}@${data.outcomes}`).join(","),
    "--weak",
    weak!,
    "--strong",
    strong!,
    "--routers",
    "random,length",
    "--scorer",
    "exact",
    "--offline",
    "--quiet",
    "--json",
    "--store",
    store,
    "--reports",
    reports,
  ];
}

function routegate(args: string[], cwd: string): Timed {
  return timed(process.execPath, ["--import", rssHook, bin, ...args], cwd);
}

interface SizeFigures {
  items: number;
  models: number;
  firstSeconds: number;
  repeatSeconds: number;
  firstPeakRssMb: number;
  repeatPeakRssMb: number;
  firstOverRepeat: number;
  firstLoad: number;
  repeatLoad: number;
}

async function measureSize(dir: string, items: number, models: number): Promise<SizeFigures & { data: ScaleData }> {
  const data = await generateScaleData({ dir: join(dir, `n${items}x${models}`), items, models });
  const store = join(data.dir, "outcomes.sqlite");
  const args = evalArgs(data, store, join(data.dir, "reports"));
  const first = routegate(args, data.dir);
  const repeat = routegate(args, data.dir);
  return {
    data,
    items,
    models,
    firstSeconds: first.seconds,
    repeatSeconds: repeat.seconds,
    firstPeakRssMb: first.peakRssMb,
    repeatPeakRssMb: repeat.peakRssMb,
    firstOverRepeat: first.seconds / repeat.seconds,
    firstLoad: first.load,
    repeatLoad: repeat.load,
  };
}

function numpyAvailable(): boolean {
  return spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;
}

export async function benchScale() {
  const dir = mkdtempSync(join(tmpdir(), "routegate-scale-"));
  try {
    const sizes = (process.env["ROUTEGATE_BENCH_SCALE"] ?? "5000,20000").split(",").map(Number);
    const measured: SizeFigures[] = [];
    for (const n of sizes) {
      const { data: _data, ...figures } = await measureSize(dir, n, 2);
      measured.push(figures);
      console.error(`scale: ${JSON.stringify(figures)}`);
    }
    const [small, large] = [measured[0]!, measured[measured.length - 1]!];
    // Time exponent from the smaller to the larger size, on repeat runs minus a bare start.
    const timeExponent = Math.log(large.repeatSeconds / small.repeatSeconds) / Math.log(large.items / small.items);
    const firstTimeExponent = Math.log(large.firstSeconds / small.firstSeconds) / Math.log(large.items / small.items);

    // Start: `--help` against a bare node; a 5-item offline eval against `--help`.
    const node = timed(process.execPath, ["-e", "0"], dir);
    const help = routegate(["--help"], dir);
    const tiny = await generateScaleData({ dir: join(dir, "tiny"), items: 5, models: 2 });
    const tinyEval = routegate(evalArgs(tiny, join(tiny.dir, "s.sqlite"), join(tiny.dir, "reports")), tiny.dir);

    // numpy: the same evaluation of the GSM8K-sized synthetic set (1307 items), whole processes.
    const gsmSized = await generateScaleData({ dir: join(dir, "n1307"), items: 1307, models: 2 });
    let numpy: Record<string, unknown>;
    if (!numpyAvailable()) {
      numpy = { skipped: "python3 with numpy is not installed here; install numpy to measure this ratio" };
    } else {
      const args = evalArgs(gsmSized, join(gsmSized.dir, "s.sqlite"), join(gsmSized.dir, "reports"));
      routegate(args, gsmSized.dir); // first run fills the store; the repeat is timed
      const rg = routegate(args, gsmSized.dir);
      const book = defaultPriceBook();
      const priced = gsmSized.models.map((m) => {
        const p = book.priceFor({ id: m, provider: "replay", model: m }, { file: "bench", where: m });
        return `${m}:${p.input}:${p.output}`;
      });
      const weakStrong = [priced[0]!, priced[priced.length - 1]!];
      const py = timed(
        "python3",
        [join(root, "bench/scale/reference.py"), gsmSized.dataset, gsmSized.outcomes, ...weakStrong],
        gsmSized.dir,
      );
      const ref = JSON.parse(py.stdout) as { models: Record<string, { quality: number; costPer1k: number }> };
      // `eval --json` prints { schemaVersion, runs: [summary] }.
      const [summary] = (
        JSON.parse(rg.stdout) as { runs: Array<{ models: { id: string; quality: number; costPer1k: number }[] }> }
      ).runs;
      if (!summary) throw new Error("eval --json printed no run");
      // Same figures, or the comparison means nothing.
      const agree = summary.models.every((m) => {
        const theirs = ref.models[m.id.replace(/^replay:/, "")];
        return (
          theirs !== undefined &&
          Math.abs(m.quality - theirs.quality) < 1e-12 &&
          Math.abs(m.costPer1k - theirs.costPer1k) < 1e-9
        );
      });
      numpy = {
        items: gsmSized.items,
        command: `routegate ${args.join(" ")}`,
        reference: "python3 bench/scale/reference.py",
        routegateSeconds: rg.seconds,
        numpySeconds: py.seconds,
        ratio: rg.seconds / py.seconds,
        figuresAgree: agree,
      };
    }
    return {
      note: "whole processes on a shared, loaded machine: compare the ratios, not the seconds",
      from,
      loadAverage: loadavg(),
      sizes: measured,
      timeExponent,
      firstTimeExponent,
      maxPeakRssMb: Math.max(...measured.flatMap((m) => [m.firstPeakRssMb, m.repeatPeakRssMb])),
      helpOverNode: help.seconds / node.seconds,
      tinyEvalOverHelp: tinyEval.seconds / help.seconds,
      numpy,
      goals: {
        peakRssMbAtMost: 1536,
        timeExponentAtMost: 1.1,
        firstOverRepeatAtMost: 2,
        helpOverNodeAtMost: 3,
        tinyEvalOverHelpAtMost: 3,
        numpyRatioAtMost: 2,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `tsx bench/scale.ts`: the scale entry alone.
if (process.argv[1]?.endsWith("scale.ts")) console.log(JSON.stringify(await benchScale(), null, 2));
