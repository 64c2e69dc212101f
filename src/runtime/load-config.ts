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
  return validateRoutingConfig(json, source);
}

/** Validates a config given as a value (already parsed by the host): same schema, same messages. */
export function validateRoutingConfig(value: unknown, source = "routing config"): RoutingConfig {
  const parsed = RoutingConfig.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RoutingConfigError(
      `${source} (field ${formatPath(issue.path)}): ${issue.message}. Fix: re-export it with \`routegate export\``,
    );
  }
  return parsed.data;
}

/**
 * Turns a valid config into what routing runs with (the runtime binds router code, providers and
 * allow-lists); throws a RoutingConfigError to refuse the config.
 */
export type AcceptConfig<B> = (config: RoutingConfig, source: string) => B;

/**
 * Holds the config production routes with. A new config is swapped in only once it has parsed
 * and been accepted (for the runtime: allowed by the host, its router found and its params
 * valid), so a refused deploy of the file leaves the last good config both in force and reported.
 */
export class RoutingConfigHolder<B = RoutingConfig> {
  private current: { config: RoutingConfig; bound: B };

  /** Throws a RoutingConfigError when `initial` is refused. */
  constructor(
    initial: RoutingConfig,
    private readonly accept: AcceptConfig<B> = (config) => config as B,
    source = "routing config",
  ) {
    const config = validateRoutingConfig(initial, source);
    this.current = { config, bound: refusing(accept, config, source) };
  }

  get config(): RoutingConfig {
    return this.current.config;
  }

  /** What `accept` made of the current config. */
  get bound(): B {
    return this.current.bound;
  }

  /** Returns null when the update was applied, or the error that kept the last good config. */
  update(text: string, source = "routing config"): RoutingConfigError | null {
    try {
      const config = parseRoutingConfig(text, source);
      const bound = refusing(this.accept, config, source);
      this.current = { config, bound };
      return null;
    } catch (err) {
      if (err instanceof RoutingConfigError) return err;
      throw err;
    }
  }
}

/** Any failure to accept a config refuses it (as a RoutingConfigError), never half-applies it. */
function refusing<B>(accept: AcceptConfig<B>, config: RoutingConfig, source: string): B {
  try {
    return accept(config, source);
  } catch (err) {
    if (err instanceof RoutingConfigError) throw err;
    throw new RoutingConfigError(`${source}: ${(err as Error).message}`);
  }
}
