import { createRequire } from "node:module";
import type HandlebarsModule from "handlebars";
import type { jsonrepair as JsonRepair } from "jsonrepair";

// Dependencies most runs never touch, loaded on first use rather than at start: Handlebars only
// renders prompt templates and reports, jsonrepair only reads a judge's malformed verdicts. Both
// ship CommonJS, so a synchronous require keeps their callers synchronous.

const require = createRequire(import.meta.url);

let handlebars: typeof HandlebarsModule | undefined;
let repair: typeof JsonRepair | undefined;

export function loadHandlebars(): typeof HandlebarsModule {
  handlebars ??= require("handlebars") as typeof HandlebarsModule;
  return handlebars;
}

let runtime: typeof HandlebarsModule | undefined;

/**
 * Handlebars without its compiler (and the source-map package the compiler loads): enough to run
 * templates precompiled by the build. About a third of the files the full package loads; it has no
 * `compile`.
 */
export function loadHandlebarsRuntime(): typeof HandlebarsModule {
  runtime ??= require("handlebars/runtime") as typeof HandlebarsModule;
  return runtime;
}

export function jsonrepair(text: string): string {
  repair ??= (require("jsonrepair") as { jsonrepair: typeof JsonRepair }).jsonrepair;
  return repair(text);
}
