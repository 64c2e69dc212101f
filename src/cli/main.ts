import yargs from "yargs";
import { ExitCode, InputError, RunError } from "../core/errors.ts";
import { compareCommand } from "./commands/compare.ts";
import { evalCommand } from "./commands/eval.ts";
import { exportCommand } from "./commands/export.ts";
import { planCommand } from "./commands/plan.ts";

/** Runs the CLI and returns the exit code (DESIGN.md contract: 0 ok, 1 gate failed, 2 bad input, 3 run failure). */
export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.Ok;
  const setCode = (c: number) => {
    code = Math.max(code, c);
  };
  try {
    await yargs(argv)
      .scriptName("routegate")
      .usage(
        "$0 <command> [options]\n\nEval-gated routing experiments: collect outcomes once, evaluate routing policies for free.",
      )
      .command(evalCommand(setCode))
      .command(exportCommand())
      .command(compareCommand())
      .command(planCommand())
      .demandCommand(1, "name a command (see --help)")
      .strict()
      .help()
      .alias("h", "help")
      .version(false)
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((msg, err) => {
        // yargs passes a message only for argument problems; a handler's own error arrives alone.
        if (err instanceof InputError || err instanceof RunError || !msg) throw err;
        throw new InputError("command line", undefined, msg, "see `routegate <command> --help`");
      })
      .parseAsync();
  } catch (err) {
    return reportError(err);
  }
  return code;
}

export function reportError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`routegate: bad input: ${err.message}\n`);
    return ExitCode.BadInput;
  }
  if (err instanceof RunError) {
    process.stderr.write(`routegate: run failed: ${err.message}\n`);
    const shown = err.details.slice(0, 50);
    for (const line of shown) process.stderr.write(`  - ${line}\n`);
    if (err.details.length > shown.length)
      process.stderr.write(`  ... and ${err.details.length - shown.length} more\n`);
    return ExitCode.RunFailed;
  }
  process.stderr.write(`routegate: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  return ExitCode.RunFailed;
}
