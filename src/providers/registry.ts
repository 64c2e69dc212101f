import type { ProviderName } from "../config/model-spec.ts";
import { InputError } from "../core/errors.ts";
import type { Provider } from "./provider.ts";
import { createReplayProvider, type ReplayProvider } from "./replay.ts";
import { createSimProvider, type SimOptions, type SimProvider } from "./sim.ts";

// One registry per run: providers by name. sim and replay are built in; the hosted adapters
// (openai, anthropic, google, vllm) register here when they arrive (pass them as `extra`).

export interface RegistryOptions {
  sim?: SimOptions;
}

/** Where a lookup failure is reported (the eval or models file, the field). */
export interface RegistrySite {
  file?: string;
  where?: string;
}

export interface ProviderRegistry {
  get(name: "sim", site?: RegistrySite): SimProvider;
  get(name: "replay", site?: RegistrySite): ReplayProvider;
  get(name: ProviderName, site?: RegistrySite): Provider;
  has(name: ProviderName): boolean;
  /** Registered provider ids. */
  names(): string[];
}

const HOSTED = new Set<string>(["openai", "anthropic", "google", "vllm"]);

/** Providers `extra` replace built-ins of the same id. */
export function createProviderRegistry(extra: readonly Provider[] = [], opts: RegistryOptions = {}): ProviderRegistry {
  const byName = new Map<string, Provider>();
  byName.set("sim", createSimProvider(opts.sim));
  byName.set("replay", createReplayProvider());
  for (const p of extra) byName.set(p.id, p);

  function get(name: ProviderName, site: RegistrySite = {}): Provider {
    const provider = byName.get(name);
    if (provider) return provider;
    const file = site.file ?? "models";
    const where = site.where ?? "provider";
    if (HOSTED.has(name)) {
      throw new InputError(
        file,
        where,
        `the ${name} provider is not available in this version of routegate (the hosted adapters arrive in a later version)`,
        "use sim:<profile> (e.g. sim:cheap) or replay:MODEL@FILE.jsonl for now",
      );
    }
    throw new InputError(file, where, `unknown provider "${name}"`, `use one of ${[...byName.keys()].join(", ")}`);
  }

  return {
    get: get as ProviderRegistry["get"],
    has: (name) => byName.has(name),
    names: () => [...byName.keys()],
  };
}
