import type { ProviderName } from "../contracts/model-spec.ts";
import { InputError } from "../core/errors.ts";
import { createAnthropicBatchingProvider } from "./anthropic/batch.ts";
import { createGoogleBatchingProvider } from "./google/batch.ts";
import type { HostedProviderOptions } from "./hosted/options.ts";
import { createLocalEmbedder } from "./local/local-embedder.ts";
import { createReplayProvider, type ReplayProvider } from "./offline/replay.ts";
import { createSimProvider, type SimOptions, type SimProvider } from "./offline/sim.ts";
import { createOpenAIBatchingProvider } from "./openai/batch.ts";
import { createVllmProvider } from "./openai/chat.ts";
import type { Provider } from "./provider.ts";
import type { ProviderLookup } from "./provider-lookup.ts";

// One registry per run: providers by name. sim, replay and the hosted adapters (openai, vllm,
// anthropic, google) are built in; `extra` providers replace built-ins of the same id (tests, a
// custom gateway). Building the hosted adapters reads no key: validate() checks keys per model.

export interface RegistryOptions {
  sim?: SimOptions;
  /** Options of the hosted adapters (per-request timeout; the environment keys are read from). */
  hosted?: HostedProviderOptions;
  /** Where replay files are imported once, keyed by their bytes (absent: read into memory per process). */
  replay?: { importsPath?: string };
}

/** Where a lookup failure is reported (the eval or models file, the field). */
export interface RegistrySite {
  file?: string;
  where?: string;
}

export interface ProviderRegistry extends ProviderLookup {
  get(name: "sim", site?: RegistrySite): SimProvider;
  get(name: "replay", site?: RegistrySite): ReplayProvider;
  get(name: ProviderName, site?: RegistrySite): Provider;
  has(name: ProviderName): boolean;
  /** Registered provider ids. */
  names(): string[];
}

/** Providers `extra` replace built-ins of the same id. */
export function createProviderRegistry(extra: readonly Provider[] = [], opts: RegistryOptions = {}): ProviderRegistry {
  const byName = new Map<string, Provider>();
  byName.set("sim", createSimProvider(opts.sim));
  byName.set("replay", createReplayProvider(opts.replay));
  byName.set("local", createLocalEmbedder());
  for (const hosted of [
    createOpenAIBatchingProvider(opts.hosted),
    createVllmProvider(opts.hosted),
    createAnthropicBatchingProvider(opts.hosted),
    createGoogleBatchingProvider(opts.hosted),
  ]) {
    byName.set(hosted.id, hosted);
  }
  for (const p of extra) byName.set(p.id, p);

  function get(name: ProviderName, site: RegistrySite = {}): Provider {
    const provider = byName.get(name);
    if (provider) return provider;
    const file = site.file ?? "models";
    const where = site.where ?? "provider";
    throw new InputError(file, where, `unknown provider "${name}"`, `use one of ${[...byName.keys()].join(", ")}`);
  }

  return {
    get: get as ProviderRegistry["get"],
    has: (name) => byName.has(name),
    names: () => [...byName.keys()],
  };
}
