import type { ModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";

// Keys come from the environment only, never from a spec (a spec may name the variable with
// `apiKeyEnv`). They are read when a client is built and kept in memory: nothing here writes them.

export type Env = Readonly<Record<string, string | undefined>>;

/** The variables a model's key may come from, first set wins. */
export function keyVariables(spec: ModelSpec, defaults: readonly string[]): readonly string[] {
  return spec.apiKeyEnv ? [spec.apiKeyEnv] : defaults;
}

/**
 * Every key a client of the provider may send: the values of its default variables and of the
 * variables `spec` names. Provider.secrets() returns them so callers can scrub them from replies.
 */
export function keyValues(env: Env, defaults: readonly string[], spec?: ModelSpec): string[] {
  const variables = new Set([...defaults, ...(spec ? keyVariables(spec, defaults) : [])]);
  return [...variables].flatMap((v) => env[v]?.trim() || []);
}

export function readKey(env: Env, variables: readonly string[]): string | undefined {
  for (const v of variables) {
    const value = env[v]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** validate(): throws an InputError naming the variable when no key is set. */
export function requireKey(
  env: Env,
  spec: ModelSpec,
  defaults: readonly string[],
  site: { file: string; where: string },
): void {
  const variables = keyVariables(spec, defaults);
  if (readKey(env, variables) !== undefined) return;
  const name = variables[0]!;
  throw new InputError(
    site.file,
    site.where,
    `model ${spec.id} needs an API key, and the environment variable ${name} is not set`,
    `export ${name}=<your key>${spec.apiKeyEnv ? "" : ", or set apiKeyEnv in the model spec to the variable that holds it"}`,
  );
}

/** validate(): a base URL from the spec or an environment variable must parse as an http(s) URL. */
export function requireUrl(url: string | undefined, from: string, site: { file: string; where: string }): void {
  if (url === undefined) return;
  let ok = false;
  try {
    const parsed = new URL(url);
    ok = parsed.protocol === "http:" || parsed.protocol === "https:";
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new InputError(
      site.file,
      site.where,
      `${from} is not an http(s) URL: "${url}"`,
      "give a URL such as http://host:8000/v1",
    );
  }
}
