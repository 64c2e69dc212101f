import { formatPath } from "../core/errors.ts";
import { RoutingConfig } from "../export/routing-config.ts";

export class RoutingConfigError extends Error {
  override readonly name = "RoutingConfigError";
}

/**
 * Parses and validates an exported routing config. The config is data only: it names a router
 * registered in code and carries parameters; nothing in it is ever executed.
 */
export function parseRoutingConfig(text: string, source = "routing config"): RoutingConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RoutingConfigError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = RoutingConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RoutingConfigError(
      `${source} (field ${formatPath(issue.path)}): ${issue.message}. Fix: re-export it with \`routegate export\``,
    );
  }
  return parsed.data;
}

/**
 * Holds the config production routes with. A new config that fails validation is refused and the
 * last good one stays in force, so a bad deploy of the file cannot take routing down.
 */
export class RoutingConfigHolder {
  private current: RoutingConfig;

  constructor(initial: RoutingConfig) {
    this.current = initial;
  }

  get config(): RoutingConfig {
    return this.current;
  }

  /** Returns null when the update was applied, or the error that kept the last good config. */
  update(text: string, source?: string): RoutingConfigError | null {
    try {
      this.current = parseRoutingConfig(text, source);
      return null;
    } catch (err) {
      if (err instanceof RoutingConfigError) return err;
      throw err;
    }
  }
}
