import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type HandlebarsModule from "handlebars";

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
  const precompiled = fileURLToPath(new URL(`./templates/${name}.cjs`, import.meta.url));
  if (existsSync(precompiled)) return hb.template(createRequire(import.meta.url)(precompiled));
  const text = readFileSync(new URL(`./templates/${name}`, import.meta.url), "utf8");
  return hb.compile(text, TEMPLATE_OPTIONS[name]);
}
