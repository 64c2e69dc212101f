import {
  parseRoutingConfig,
  type RoutingConfig,
  RoutingConfigError,
  validateRoutingConfig,
} from "../contracts/routing-config.ts";

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
