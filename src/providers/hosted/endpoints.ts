import type { ModelSpec } from "../../contracts/model-spec.ts";
import { type Env, keyValues } from "./credentials.ts";

// Where each network provider sends a model's requests, and which environment variables its key
// is read from, when the model spec names neither. One table, so the adapters and the runtime's
// allow-list (which accepts these defaults without the host listing them) cannot drift apart.

export interface ProviderEndpoint {
  /** The provider's own API; undefined where there is none (a vLLM server is always named). */
  readonly baseUrl: string | undefined;
  /** Key variables, first set wins. */
  readonly keyVars: readonly string[];
  /**
   * The SDK's other credential variables: routegate's clients never send them, but a process that
   * has them set must not see them in a reply, so they are scrubbed all the same.
   */
  readonly otherCredentialVars: readonly string[];
}

export const PROVIDER_ENDPOINTS = {
  openai: {
    baseUrl: "https://api.openai.com/v1",
    keyVars: ["OPENAI_API_KEY"],
    otherCredentialVars: ["OPENAI_ADMIN_KEY"],
  },
  anthropic: {
    baseUrl: "https://api.anthropic.com",
    keyVars: ["ANTHROPIC_API_KEY"],
    otherCredentialVars: ["ANTHROPIC_AUTH_TOKEN"],
  },
  /** GEMINI_API_KEY is the documented one; GOOGLE_API_KEY is the SDK's other variable. */
  google: {
    baseUrl: "https://generativelanguage.googleapis.com",
    keyVars: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    otherCredentialVars: [],
  },
  /**
   * vLLM's own server reads VLLM_API_KEY for --api-key; a server without auth takes any key. The
   * openai SDK serves vLLM too, so its admin key variable is scrubbed here as well.
   */
  vllm: { baseUrl: undefined, keyVars: ["VLLM_API_KEY"], otherCredentialVars: ["OPENAI_ADMIN_KEY"] },
} as const satisfies Record<string, ProviderEndpoint>;

export type NetworkProviderName = keyof typeof PROVIDER_ENDPOINTS;

/** Every key a client of `name` may send, or that its SDK could find (see otherCredentialVars). */
export function providerSecrets(env: Env, name: NetworkProviderName, spec?: ModelSpec): string[] {
  const { keyVars, otherCredentialVars } = PROVIDER_ENDPOINTS[name];
  return keyValues(env, [...keyVars, ...otherCredentialVars], spec);
}
