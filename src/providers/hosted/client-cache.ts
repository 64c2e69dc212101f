import type { ModelSpec } from "../../contracts/model-spec.ts";
import { type Env, keyVariables, readKey, requireKey } from "./credentials.ts";

export interface KeyedClient<C> {
  client: C;
}

/**
 * One SDK client per (base URL, key variables), built on first use so that constructing a
 * provider never needs a key. The key is checked again here because production callers may skip
 * validate().
 */
export class ClientCache<C> {
  private readonly entries = new Map<string, KeyedClient<C>>();

  constructor(
    private readonly env: Env,
    private readonly keyVars: readonly string[],
  ) {}

  get(
    spec: ModelSpec,
    baseUrl: string,
    build: (key: string) => C,
    opts: { keyVars?: readonly string[]; required?: boolean; fallbackKey?: string } = {},
  ): KeyedClient<C> {
    const keyVars = opts.keyVars ?? this.keyVars;
    const variables = keyVariables(spec, keyVars);
    const cacheKey = `${baseUrl}\u0000${variables.join(",")}`;
    let entry = this.entries.get(cacheKey);
    if (!entry) {
      if (opts.required !== false) requireKey(this.env, spec, keyVars, { file: "environment", where: spec.id });
      const key = readKey(this.env, variables) ?? opts.fallbackKey ?? "";
      entry = { client: build(key) };
      this.entries.set(cacheKey, entry);
    }
    return entry;
  }
}
