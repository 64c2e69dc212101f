import { gateVerdict, type Summary, VERDICT_LABEL } from "../contracts/summary.ts";
import type { RunReporter } from "./reporter.ts";

/** A few lines per eval on the terminal; the full picture is in report.md. */
export function consoleReporter(opts: { log: (line: string) => void }): RunReporter {
  return {
    onEvalEnd(report) {
      printRunTable(report.summary, report.dir, opts.log);
    },
  };
}

export function printRunTable(s: Summary, dir: string | null, log: (line: string) => void): void {
  if (s.simulated) log("SIMULATED run (sim provider): figures demonstrate the pipeline, not real models.");
  const scope = s.routers[0]?.heldOut ? `held-out, ${s.split.heldOut} items` : `in-sample, ${s.dataset.items} items`;
  log(
    `${s.eval}: ${s.dataset.items} items, ${s.collection.providerCalls} provider calls, ${s.collection.fromStore} from store (${scope})`,
  );
  const width = Math.max(...s.routers.map((r) => r.id.length), 6);
  for (const r of s.routers) {
    const two = r.strongShare !== null ? `  strong ${(100 * r.strongShare).toFixed(0).padStart(3)}%` : "";
    const apgr = r.apgr !== null ? `  APGR ${r.apgr.toFixed(3)}` : "";
    const ni = r.nonInferiority
      ? `  vs ${r.nonInferiority.reference}: lower ${r.nonInferiority.lower.toFixed(4)} ${r.nonInferiority.passed ? "non-inferior" : "not shown non-inferior"}`
      : "";
    const mark = r.id === s.recommendation?.router ? "*" : r.evaluationOnly ? "~" : " ";
    log(
      `${mark} ${r.id.padEnd(width)}  quality ${r.quality.mean.toFixed(3)}  $${r.costPer1k.toPrecision(3)}/1K${two}${apgr}${ni}`,
    );
  }
  if (s.recommendation)
    log(`  * recommended: ${s.recommendation.router} (${s.recommendation.rule}; figures above are held-out)`);
  if (s.routers.some((r) => r.evaluationOnly)) log("  ~ reads the answers' scores (an upper bound, not deployable)");
  for (const f of s.skippedRouters ?? []) log(`  skipped ${f.family}: ${f.reason}`);
  for (const f of s.routerFailures ?? [])
    log(
      `  router ${f.router} FAILED in ${f.step}${f.itemId !== null ? ` on item ${f.itemId}` : ""}: ${f.error}${f.location ? ` (at ${f.location})` : ""}`,
    );
  for (const c of s.gate.checks) {
    const verdict = c.passed ? "pass" : c.blocking === false ? "undecided (does not block)" : "FAIL";
    const why = !c.passed && c.detail ? `: ${c.detail}` : "";
    log(`  gate ${verdict}: ${c.name} (measured ${c.value === null ? "n/a" : c.value.toFixed(4)})${why}`);
  }
  const verdict = gateVerdict(s.gate);
  log(
    `  verdict: ${VERDICT_LABEL[verdict]}${verdict === "no-gates" ? " (the eval declares no gates: nothing was checked)" : ""}`,
  );
  if (dir !== null) log(`  report: ${dir}/report.md, ${dir}/report.html`);
}
