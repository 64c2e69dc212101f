import { createRequire } from "node:module";
import type { ProviderName } from "../contracts/model-spec.ts";
import type { HostedProviderOptions } from "./hosted/options.ts";
import type { Provider } from "./provider.ts";

// How production builds the providers a routing config names: each adapter is imported the first
// time a config names it, and only the network providers are here (no sim, replay or batch code).
// The SDKs are optional peer dependencies of @routegate/runtime, so a missing one is told at load,
// naming the package to install, rather than on the first live request.

/** Why a provider cannot be built in this process, and what to do about it. */
export interface Unavailable {
  problem: string;
  fix: string;
}

/** Builds providers by name, importing each module only when it is asked for. */
export interface ProviderLoader {
  /** Why `name` cannot be built here; undefined when it can. Synchronous: checked at config load. */
  unavailable(name: ProviderName): Unavailable | undefined;
  load(name: ProviderName): Promise<Provider>;
}

/** The npm package (and the versions routegate is tested with) behind each network provider. */
export const PROVIDER_SDKS = {
  openai: { pkg: "openai", range: "^6.49.0" },
  vllm: { pkg: "openai", range: "^6.49.0" },
  anthropic: { pkg: "@anthropic-ai/sdk", range: "^1.14.0" },
  google: { pkg: "@google/genai", range: "^2.32.0" },
} as const;

const require = createRequire(import.meta.url);

/** Whether `pkg` resolves from here; a package that exists but has no CommonJS entry counts as installed. */
export function sdkInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND";
  }
}

/** openai, vllm, anthropic and google (each adapter and its SDK loaded on first use), and the local embedder. */
export function networkProviderLoader(
  hosted: HostedProviderOptions = {},
  installed: (pkg: string) => boolean = sdkInstalled,
): ProviderLoader {
  return {
    unavailable(name) {
      // The keyless in-process embedder needs no SDK (routers' ctx.embed; never a candidate).
      if (name === "local") return undefined;
      if (name === "sim" || name === "replay")
        return {
          problem: `"${name}" is an evaluation provider (${name === "sim" ? "simulated answers" : "answers read from a file"}), and this runtime carries none`,
          fix: 'route to a real provider; tests and demos that need it import createRouter from "routegate/runtime" (the full package)',
        };
      const sdk = PROVIDER_SDKS[name];
      if (!installed(sdk.pkg))
        return {
          problem: `the ${name} provider needs the package "${sdk.pkg}", which is not installed`,
          fix: `npm install ${sdk.pkg}@${sdk.range}`,
        };
      return undefined;
    },
    async load(name) {
      switch (name) {
        case "openai":
          return (await import("./openai/chat.ts")).createOpenAIProvider(hosted);
        case "vllm":
          return (await import("./openai/chat.ts")).createVllmProvider(hosted);
        case "anthropic":
          return (await import("./anthropic/chat.ts")).createAnthropicProvider(hosted);
        case "google":
          return (await import("./google/chat.ts")).createGoogleProvider(hosted);
        case "local":
          return (await import("./local/local-embedder.ts")).createLocalEmbedder();
        default:
          throw new Error(`provider "${name}" is not available in this runtime`);
      }
    },
  };
}
