// Exit codes are a public contract (docs/architecture.md#contracts).
export const ExitCode = {
  Ok: 0,
  GateFailed: 1,
  BadInput: 2,
  RunFailed: 3,
} as const;

/**
 * Bad input or config: the message names the file, the line or field, and the fix. Exit 2.
 * Build messages with `where` so every such error reads the same way.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly exitCode = ExitCode.BadInput;
  constructor(
    readonly file: string,
    readonly where: string | undefined,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}${where ? ` (${where})` : ""}: ${problem}. Fix: ${fix}`);
  }
}

/** The run could not complete (provider errors after retries, budget reached, missing outcomes). Exit 3. */
export class RunError extends Error {
  override readonly name = "RunError";
  readonly exitCode = ExitCode.RunFailed;
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Formats a zod issue path the way users read it: `models[2].pricing.input`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(root)";
}
