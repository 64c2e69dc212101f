import { must } from "./shell.ts";

// Start-up figures for `npm run e2e:pack`: each command timed against `node -e 0` in alternating
// pairs in the same run, so the load of a shared machine weighs on both sides alike. Figures for the
// record only: speed is never a pass/fail check here.

export interface Timed {
  /** Median wall time of the command, ms. */
  ms: number;
  /** Median wall time of `node -e 0`, ms. */
  baseMs: number;
  /** Median of the per-pair ratios command / `node -e 0`. */
  ratio: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function wallMs(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  await must(cmd, args, { cwd, env });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Times `node <args>` against `node -e 0`, `pairs` times each, alternating. `before` runs ahead of
 * each timed command, untimed (e.g. to clear the store a cold run must not find).
 */
export async function againstBareNode(
  args: string[],
  opts: { cwd: string; pairs: number; env?: NodeJS.ProcessEnv; before?: () => void },
): Promise<Timed> {
  const base: number[] = [];
  const timed: number[] = [];
  for (let i = 0; i < opts.pairs; i++) {
    base.push(await wallMs("node", ["-e", "0"], opts.cwd, opts.env));
    opts.before?.();
    timed.push(await wallMs("node", args, opts.cwd, opts.env));
  }
  return {
    ms: median(timed),
    baseMs: median(base),
    ratio: median(timed.map((t, i) => t / base[i]!)),
  };
}

/** "412 ms, 9.8x node -e 0 (42 ms); median of 9 pairs" */
export function describeTimed(t: Timed, pairs: number): string {
  return `${t.ms.toFixed(0)} ms, ${t.ratio.toFixed(2)}x node -e 0 (${t.baseMs.toFixed(0)} ms); median of ${pairs} pairs`;
}
