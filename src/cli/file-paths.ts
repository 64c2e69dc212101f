import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../core/errors.ts";
import { OutcomeStore } from "../store/outcome-store.ts";

// Paths given on the command line that routegate writes to: a wrong one (a folder, a path below a
// file, a folder it may not write) is bad input naming the path and the fix, never a crash.

/**
 * Makes `path` writable as a file: creates its missing folders, and refuses a folder or a path
 * below a file. `example` is a file name to suggest inside a folder given by mistake.
 */
export function prepareFilePath(path: string, flag: string, example: string): void {
  if (isDirectory(path)) {
    throw new InputError(
      "command line",
      flag,
      `${path} is a folder, not a file`,
      `name a file, e.g. ${flag} ${join(path, example)}`,
    );
  }
  const parent = dirname(resolve(path));
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const blocker = fileAbove(parent);
    if (blocker) {
      throw new InputError(
        "command line",
        flag,
        `${path} cannot be created: ${blocker} is a file, so no folder can exist below it`,
        `point ${flag} at a path outside ${blocker}, or move that file`,
      );
    }
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      throw new InputError(
        "command line",
        flag,
        `cannot create the folder ${parent} for ${path} (${code})`,
        `point ${flag} at a folder you can write`,
      );
    }
    throw err;
  }
}

/** Opens the outcome store at `path` (--store), turning what is wrong with the path into bad input. */
export function openStore(path: string): OutcomeStore {
  if (path !== ":memory:") prepareFilePath(path, "--store", "outcomes.sqlite");
  try {
    return OutcomeStore.open(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const problem =
      code === "SQLITE_NOTADB"
        ? `${path} is not a routegate outcome store (not an SQLite database)`
        : code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY" || code === "SQLITE_PERM"
          ? `${path} cannot be opened for writing (${String(code)})`
          : /newer than this routegate/.test((err as Error).message)
            ? (err as Error).message
            : undefined;
    if (problem === undefined) throw err;
    throw new InputError("command line", "--store", problem, "point --store at a routegate store or a new file");
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The nearest existing ancestor of `dir` (itself included) when it is a file, else undefined. */
function fileAbove(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d)) return statSync(d).isDirectory() ? undefined : d;
    if (dirname(d) === d) return undefined;
  }
}

/** Where dataset files' checks are remembered (DatasetIndex): beside the outcome store, named after it. */
export function datasetIndexPath(storePath: string): string {
  return `${storePath.replace(/\.sqlite$/, "")}.dataset-index.sqlite`;
}

/** Where replay files are imported: beside the outcome store, named after it. */
export function replayImportsPath(storePath: string): string {
  return `${storePath.replace(/\.sqlite$/, "")}.replay-imports.sqlite`;
}
