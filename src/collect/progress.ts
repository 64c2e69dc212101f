import { createRequire } from "node:module";
import type CliProgress from "cli-progress";

/** Collection progress: a bar on a TTY, a few plain lines in CI or when piped. */
export interface Progress {
  start(total: number): void;
  tick(fromStore: boolean): void;
  stop(): void;
}

export function createProgress(
  label: string,
  opts: { tty: boolean; quiet: boolean; log: (line: string) => void },
): Progress {
  if (opts.quiet) return { start() {}, tick() {}, stop() {} };
  let total = 0;
  let done = 0;
  let stored = 0;
  if (opts.tty) {
    // Loaded only for a bar on a terminal: piped, CI and quiet runs never need it.
    const cliProgress = createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} | from store {stored} | {eta_formatted} left`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    return {
      start(t) {
        total = t;
        bar.start(total, 0, { stored: 0 });
      },
      tick(fromStore) {
        stored += fromStore ? 1 : 0;
        bar.increment(1, { stored });
      },
      stop: () => bar.stop(),
    };
  }
  // Quiet lines: one at each quarter, so CI logs stay short but show that work moves.
  let nextMark = 0;
  return {
    start(t) {
      total = t;
      nextMark = Math.ceil(total / 4);
    },
    tick(fromStore) {
      done++;
      stored += fromStore ? 1 : 0;
      if (done >= nextMark && done < total) {
        opts.log(`${label}: ${done}/${total} (${stored} from store)`);
        nextMark += Math.ceil(total / 4);
      }
    },
    stop() {
      if (total > 0) opts.log(`${label}: ${done}/${total} collected (${stored} from store, ${done - stored} new)`);
    },
  };
}
