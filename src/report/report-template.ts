import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type HandlebarsModule from "handlebars";
import { loadHandlebars, loadHandlebarsRuntime } from "../core/lazy-modules.ts";

type Handlebars = typeof HandlebarsModule;

/** How each report template is compiled; the build precompiles it with the same options. */
export const TEMPLATE_OPTIONS = {
  "report.md.hbs": { noEscape: true, strict: false },
  "report.html.hbs": { strict: false },
} as const satisfies Record<string, CompileOptions>;

export type ReportTemplateName = keyof typeof TEMPLATE_OPTIONS;

/**
 * A report template as a function of its view. The build (scripts/build.mjs) precompiles each
 * template into `<name>.cjs` beside it, so an installed routegate does not parse and generate the
 * template's code on every run (a tenth of a short eval); a checkout running its sources, where no
 * `.cjs` exists, compiles the text.
 */
export function reportTemplate(hb: Handlebars, name: ReportTemplateName): HandlebarsTemplateDelegate {
  const precompiled = precompiledFile(name);
  if (existsSync(precompiled)) return hb.template(createRequire(import.meta.url)(precompiled));
  const text = readFileSync(new URL(`./templates/${name}`, import.meta.url), "utf8");
  return hb.compile(text, TEMPLATE_OPTIONS[name]);
}

/**
 * A fresh Handlebars environment for a report template: the runtime alone where the build
 * precompiled it (the compiler is not loaded at all: it and the source-map package it needs are
 * most of Handlebars' files, read on every run that writes reports), the whole package where the
 * template is compiled from its text.
 */
export function reportEnvironment(name: ReportTemplateName): Handlebars {
  return (existsSync(precompiledFile(name)) ? loadHandlebarsRuntime() : loadHandlebars()).create();
}

const precompiledFile = (name: ReportTemplateName) =>
  fileURLToPath(new URL(`./templates/${name}.cjs`, import.meta.url));
