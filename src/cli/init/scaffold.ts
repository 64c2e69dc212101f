import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../core/errors.ts";
import { starterItemsJsonl } from "./golden-set.ts";
import {
  DANGERFILE,
  evalFile,
  GITIGNORE_LINES,
  ROUTER_FILE,
  SCRIPTS,
  type StarterOptions,
  SYSTEM_TEMPLATE,
  TSCONFIG,
  USER_TEMPLATE,
} from "./templates.ts";
import { WORKFLOW } from "./workflow.ts";

/** What init did, paths relative to the project folder. */
export interface ScaffoldResult {
  /** Files created. */
  written: string[];
  /** Files that were there already and were left as they are. */
  skipped: string[];
  /** Lines or scripts added to an existing package.json or .gitignore (nothing in them is changed). */
  added: string[];
}

/** The starter files, by path: written only where no file is. */
export function starterFiles(opts: StarterOptions): Array<[path: string, content: string]> {
  const data = `datasets/${opts.name}`;
  return [
    [`evals/${opts.name}.eval.ts`, evalFile(opts)],
    ["routers/escalation.ts", ROUTER_FILE],
    [`${data}/items.jsonl`, starterItemsJsonl(opts.name)],
    [`${data}/system.hbs`, SYSTEM_TEMPLATE],
    [`${data}/user.hbs`, USER_TEMPLATE],
    [".github/workflows/routegate.yml", WORKFLOW],
    ["dangerfile.ts", DANGERFILE],
    ["tsconfig.json", TSCONFIG],
  ];
}

/** Writes the starter into `dir`, never over an existing file. */
export function scaffold(dir: string, opts: StarterOptions): ScaffoldResult {
  const result: ScaffoldResult = { written: [], skipped: [], added: [] };
  for (const [path, content] of starterFiles(opts)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    try {
      // "wx": fails if the file exists, so a file created meanwhile is not overwritten either.
      writeFileSync(full, content, { flag: "wx" });
      result.written.push(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      result.skipped.push(path);
    }
  }
  addScripts(dir, result);
  addIgnoreLines(dir, result);
  return result;
}

/** Adds the eval scripts to package.json (creating one if there is none); existing scripts are kept. */
function addScripts(dir: string, result: ScaffoldResult): void {
  const file = join(dir, "package.json");
  if (!existsSync(file)) {
    const pkg = { name: packageName(dir), private: true, type: "module", scripts: SCRIPTS };
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`, { flag: "wx" });
    result.written.push("package.json");
    return;
  }
  const text = readFileSync(file, "utf8");
  let pkg: { scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(text);
  } catch (err) {
    throw new InputError(
      "package.json",
      undefined,
      `not valid JSON (${(err as Error).message})`,
      "fix the file, then run routegate init again",
    );
  }
  const scripts = { ...(pkg.scripts ?? {}) };
  const missing = Object.entries(SCRIPTS).filter(([name]) => scripts[name] === undefined);
  for (const [name] of Object.entries(SCRIPTS))
    if (scripts[name] !== undefined) result.skipped.push(`package.json script "${name}"`);
  if (!missing.length) return;
  for (const [name, command] of missing) scripts[name] = command;
  // Keep the file's own indentation; only the scripts object changes.
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? "  ";
  writeFileSync(file, `${JSON.stringify({ ...pkg, scripts }, null, indent)}\n`);
  result.added.push(`package.json: scripts ${missing.map(([name]) => `"${name}"`).join(", ")}`);
}

/** Appends the store and report folders to .gitignore when they are not listed yet. */
function addIgnoreLines(dir: string, result: ScaffoldResult): void {
  const file = join(dir, ".gitignore");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const present = new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\//, "")));
  const missing = GITIGNORE_LINES.filter((line) => !present.has(line) && !present.has(line.replace(/\/$/, "")));
  if (!missing.length) return;
  const separator = text && !text.endsWith("\n") ? "\n" : "";
  appendFileSync(file, `${separator}# routegate: the outcome store and the reports\n${missing.join("\n")}\n`);
  (text ? result.added : result.written).push(text ? `.gitignore: ${missing.join(", ")}` : ".gitignore");
}

/** A package name npm accepts, from the folder's name. */
function packageName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "");
  return name || "routegate-evals";
}
