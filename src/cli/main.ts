import { readFileSync } from "node:fs";
import yargs from "yargs";
import { ExitCode, InputError, RunError } from "../core/errors.ts";
import { commandsFor, isCommandName } from "./commands/lazy.ts";

/** routegate's version, from its package.json (two levels up from src/cli/ and from dist/cli/ alike). */
function version(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string })
    .version;
}

/** Runs the CLI and returns the exit code (docs/cli.md#exit-codes: 0 ok, 1 gate failed, 2 bad input, 3 run failure). */
export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.Ok;
  const setCode = (c: number) => {
    code = Math.max(code, c);
  };
  // No command: the help, as a successful answer (exit 2 is for real misuse).
  const args = argv.length === 0 ? ["--help"] : argv;
  try {
    await withoutHelpCache(yargs(args))
      .scriptName("routegate")
      .usage(
        "$0 <command> [options]\n\nEval-gated routing experiments: collect outcomes once, evaluate routing policies for free.",
      )
      .command(await commandsFor(args, setCode))
      .middleware(refuseRepeatedFlags as (argv: Record<string, unknown>) => void)
      .demandCommand(1, "name a command (see --help)")
      .recommendCommands()
      .strict()
      .help()
      .alias("h", "help")
      .version(version())
      .exitProcess(false)
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((msg, err) => {
        // yargs passes a message only for argument problems; a handler's own error arrives alone.
        if (err instanceof InputError || err instanceof RunError || !msg) throw err;
        throw usageError(msg, args);
      })
      .parseAsync();
  } catch (err) {
    return reportError(err);
  }
  return code;
}

/** A command-line mistake as an InputError; an unknown command names the nearest one (yargs finds it). */
function usageError(msg: string, args: readonly string[]): InputError {
  const first = args[0] ?? "";
  const nearest = /^Did you mean (\S+)\?$/.exec(msg)?.[1];
  if (nearest)
    return new InputError(
      "command line",
      undefined,
      `unknown command "${first}"`,
      `did you mean \`routegate ${nearest}\`?`,
    );
  if (
    !first.startsWith("-") &&
    !isCommandName(first) &&
    (msg.startsWith(`Unknown argument: ${first}`) || msg.startsWith(`Unknown arguments: ${first},`))
  )
    return new InputError(
      "command line",
      undefined,
      `unknown command "${first}"`,
      "`routegate --help` lists the commands",
    );
  return new InputError("command line", undefined, msg, "see `routegate <command> --help`");
}

/**
 * A flag given twice reaches a handler as an array where it expects one value (yargs collects
 * repeats); refuse it here rather than let the handler fail on a type it never declared. yargs
 * passes itself as the middleware's second argument; its typings omit it and getOptions().
 */
function refuseRepeatedFlags(argv: Record<string, unknown>, ...rest: unknown[]): void {
  const y = rest[0] as { getOptions(): { array: string[] } };
  const repeatable = new Set(y.getOptions().array);
  for (const [key, value] of Object.entries(argv)) {
    // camelCase twins of kebab-case flags are checked under the name the user typed.
    if (key === "_" || /[A-Z]/.test(key) || !Array.isArray(value) || repeatable.has(key)) continue;
    throw new InputError("command line", undefined, `--${key} was given ${value.length} times`, `give --${key} once`);
  }
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

/**
 * yargs renders a command's whole help text each time the command runs, in case its handler asks
 * to show it later; routegate's handlers never do (their errors point at `--help`), and rendering
 * every option through its text-width measure is a tenth of a short run. yargs 18's internal
 * methods are the only way to turn that off; a yargs without them is left as it is.
 */
function withoutHelpCache<T extends object>(cli: T): T {
  const internal = (
    cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }
  )
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (internal && typeof internal.cacheHelpMessage === "function") internal.cacheHelpMessage = () => {};
  return cli;
}
