import { existsSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { InputError } from "../../core/errors.ts";
import type { Usage } from "../../core/types.ts";
import { normaliseRawUsage } from "../../providers/usage-normalisers.ts";
import { DEFAULT_STORE_PATH } from "../../store/outcome-store.ts";
import { type RenormaliseReport, renormaliseStore } from "../../store/renormalise.ts";
import { openStore } from "../file-paths.ts";

interface RenormaliseArgs {
  store: string;
  json: boolean;
  dryRun: boolean;
}

/** `routegate store <command>`: upkeep of the outcome store. */
export function storeCommand(): CommandModule<object, object> {
  return {
    command: "store <command>",
    describe: "Upkeep of the outcome store",
    builder: (y: Argv) => y.command(renormaliseCommand()).demandCommand(1, "name a store command (see --help)"),
    handler: () => {},
  };
}

function renormaliseCommand(): CommandModule<object, RenormaliseArgs> {
  return {
    command: "renormalise",
    describe:
      "Re-derive every stored outcome's usage from the raw usage its provider returned, with today's normalisers, and report what changed (fixes a normaliser bug without paying for the calls again)",
    builder: (y) =>
      y
        .option("store", { type: "string", default: DEFAULT_STORE_PATH, describe: "outcome store (SQLite) path" })
        .option("json", { type: "boolean", default: false, describe: "print the report as JSON" })
        .option("dry-run", {
          type: "boolean",
          default: false,
          describe: "report what would change without rewriting the store",
        }) as never,
    handler: (args) => {
      if (!existsSync(args.store))
        throw new InputError(
          args.store,
          undefined,
          "no outcome store here",
          "give the store a run wrote, with --store",
        );
      // A folder, or a file that is not a store, is bad input too (exit 2), as for `eval --store`.
      const store = openStore(args.store);
      try {
        const report = renormaliseStore(store, normaliseRawUsage, { dryRun: args.dryRun });
        process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, args.store));
      } finally {
        store.close();
      }
    },
  };
}

function renderReport(r: RenormaliseReport, path: string): string {
  const verb = r.dryRun ? "would change" : "changed";
  const lines = [
    `${path}: ${r.checked} outcome(s) with raw usage, ${r.changed} ${verb}, ${r.unreadable} unreadable${r.dryRun ? " (dry run: nothing rewritten)" : ""}`,
  ];
  for (const [model, m] of Object.entries(r.byModel).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`  ${model}: ${m.changed} of ${m.checked} ${verb}${m.unreadable ? `, ${m.unreadable} unreadable` : ""}`);
  for (const e of r.examples)
    lines.push(
      `  e.g. ${e.model} ${e.itemId} (${e.hash.slice(0, 12)}): ${usageText(e.before)} -> ${usageText(e.after)}`,
    );
  for (const e of r.unreadableExamples)
    lines.push(`  unreadable: ${e.model} ${e.itemId} (${e.hash.slice(0, 12)}): ${e.error}`);
  return `${lines.join("\n")}\n`;
}

function usageText(u: Usage | null): string {
  if (u === null) return "none";
  const i = u.input;
  return `input ${i.noCache} + cached ${i.cacheRead} + written ${i.cacheWrite5m + i.cacheWrite1h}, output ${u.output.text} + reasoning ${u.output.reasoning}`;
}
