import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ScorerConfigProblem } from "../scorer.ts";

// Judge prompts are plain templates with {{name}} placeholders, filled in one pass: a value is
// never scanned again, so an answer that contains "{{reference}}" cannot pull the reference in.
// No helpers, no escaping (handlebars would HTML-escape answers and let templates run logic).

const TAG = /\{\{([^{}]*)\}\}/g;
const NAME = /^\s*([a-z_]+)\s*$/;
const FILE = /\.(hbs|txt|md)$/i;

/** The placeholder names a template uses, in order of first use; throws on anything but {{name}}. */
export function placeholders(template: string, field: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(TAG)) {
    const name = NAME.exec(m[1] ?? "")?.[1];
    if (!name) {
      throw new ScorerConfigProblem(
        field,
        `"${m[0]}" is not a plain placeholder`,
        "judge templates take only {{name}} placeholders (no helpers, blocks or partials)",
      );
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Fills every {{name}} with vars[name]; values are inserted verbatim and never re-read. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(TAG, (whole, inner: string) => {
    const name = NAME.exec(inner)?.[1];
    const value = name === undefined ? undefined : vars[name];
    if (value === undefined) throw new Error(`judge template: no value for ${whole}`);
    return value;
  });
}

/** Checks a template uses only `allowed` names and every one of `required`. */
export function checkTemplate(
  template: string,
  field: string,
  allowed: readonly string[],
  required: readonly string[],
): void {
  const used = placeholders(template, field);
  const unknown = used.filter((n) => !allowed.includes(n));
  if (unknown.length > 0) {
    throw new ScorerConfigProblem(
      field,
      `unknown placeholder {{${unknown[0]}}}`,
      `use only ${allowed.map((n) => `{{${n}}}`).join(", ")}`,
    );
  }
  const missing = required.filter((n) => !used.includes(n));
  if (missing.length > 0) {
    throw new ScorerConfigProblem(
      field,
      `the template never shows {{${missing[0]}}}`,
      `include ${required.map((n) => `{{${n}}}`).join(" and ")}`,
    );
  }
}

/**
 * A template or rubric given in config: a file (a single line ending in .hbs, .txt or .md,
 * relative to the eval file's folder) is read, so it is versioned with the eval; anything else is
 * the text itself.
 */
export function templateText(value: string, baseDir: string, field: string): string {
  if (value.includes("\n") || !FILE.test(value.trim())) return value;
  const path = isAbsolute(value) ? value : resolve(baseDir, value.trim());
  if (!existsSync(path)) {
    throw new ScorerConfigProblem(
      field,
      `template file ${path} does not exist`,
      "give a path relative to the eval file, or the text itself",
    );
  }
  return readFileSync(path, "utf8");
}

const DELIMITER = /<(\/?)(question|answer|answer_a|answer_b|reference_answer)(\s*)>/gi;

/**
 * Text inserted between the prompt's delimiter tags must not close them: "</answer_a>" inside an
 * answer would let it write outside its box. Such tags get look-alike brackets; nothing else changes.
 */
export function neutraliseDelimiters(text: string): string {
  return text.replace(DELIMITER, (_m, slash: string, name: string, space: string) => `‹${slash}${name}${space}›`);
}
