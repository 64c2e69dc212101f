// `npm run eval` ends here: one example on real recorded outcomes beside the SIMULATED ones.
// RouteLLM's GSM8K records (Mixtral-8x7B-Instruct vs GPT-4-1106-preview) are read in place from
// ../shared/data when that folder is there; no row of them is ever copied into this repository.
// Without it the example is skipped with one line. Run alone: `npx tsx devkit/examples/gsm8k-real.ts`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newRunId } from "../../src/evaluate/session/run-id.ts";
import { printRunTable } from "../../src/reporters/console-reporter.ts";
import { writeReport } from "../../src/reporters/write-report.ts";
import { lengthRouter, randomRouter } from "../../src/routing/index.ts";
import { GSM8K_ATTRIBUTION, importGsm8k } from "../importers/gsm8k.ts";
import { runImported } from "../importers/run-imported.ts";

export const DEFAULT_DATA = fileURLToPath(new URL("../../../shared/data", import.meta.url));

/** The attribution the data's own README asks for (its "Source:" line), else the importer's. */
export function gsm8kAttribution(dataDir: string): string {
  const readme = join(dataDir, "README.md");
  if (!existsSync(readme)) return GSM8K_ATTRIBUTION;
  const section = readFileSync(readme, "utf8")
    .split(/^## /m)
    .find((s) => s.startsWith("routellm_gsm8k/"));
  const source = section?.match(/^Source: ([\s\S]*?)\n- /m)?.[1];
  return source ? `GSM8K records: ${source.replace(/\s+/g, " ").trim()}` : GSM8K_ATTRIBUTION;
}

/**
 * Replays the records through the same engine `routegate eval` runs (offline, scored by RouteLLM's
 * own GSM8K rule, routers calibrated on half and reported on the other half) and writes
 * reports/gsm8k-real/. Returns the report folder, or null (with one line said) when the data is absent.
 */
export async function runGsm8kExample(opts: {
  dataDir?: string;
  reports?: string;
  log?: (line: string) => void;
}): Promise<string | null> {
  const dataDir = opts.dataDir ?? DEFAULT_DATA;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = join(dataDir, "routellm_gsm8k");
  if (!existsSync(join(dir, "gsm8k_two_models.jsonl"))) {
    log(`gsm8k-real: skipped (the real GSM8K records are not at ${dir}; the example evals above are simulated)`);
    return null;
  }
  const bench = importGsm8k(dir, { excludeContaminated: true });
  const { weak, strong } = bench;
  const result = await runImported(
    bench,
    {
      name: "gsm8k-real",
      weak,
      strong,
      scorer: { type: "numeric", routellmCompat: true },
      routers: [randomRouter({ weak, strong }), lengthRouter({ weak, strong })],
    },
    { runId: newRunId() },
  );
  const attribution = gsm8kAttribution(dataDir);
  result.summary.warnings = result.summary.warnings.filter((w) => !w.startsWith("Data: "));
  result.summary.warnings.unshift(`Data: ${attribution} Read in place; not part of this repository.`);
  const { dir: out } = writeReport(opts.reports ?? "reports", result.summary);
  printRunTable(result.summary, out, log);
  log(`  data: ${attribution}`);
  return out;
}
