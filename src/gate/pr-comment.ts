import { gateVerdict, type Summary } from "../contracts/summary.ts";
import { markdownCode as code, escapeMarkdown as md } from "../core/markdown-escape.ts";

export interface RunForComment {
  summary: Summary;
  /** The run's report.md, already sized for a PR comment. */
  markdown: string;
}

export interface PrComment {
  markdown: string;
  /** One line per blocked eval: danger turns each into a failing check. */
  failures: string[];
  warnings: string[];
}

/**
 * What the pull request is told: every eval's verdict, blocked ones first. Pure, so it is tested
 * without danger's globals; dangerfile.ts only reads the reports and calls this. danger renders
 * failures and warnings as Markdown too, so every name in them is escaped like report.md's.
 */
export function prComment(runs: readonly RunForComment[]): PrComment {
  if (runs.length === 0) {
    return {
      markdown: "routegate: no eval reports were found.",
      failures: ["routegate wrote no reports: did `npm run eval` run?"],
      warnings: [],
    };
  }
  const ordered = [...runs].sort(
    (a, b) =>
      Number(a.summary.gate.passed) - Number(b.summary.gate.passed) || a.summary.eval.localeCompare(b.summary.eval),
  );
  const failures = ordered
    .filter((r) => !r.summary.gate.passed)
    .map((r) => {
      const failed = r.summary.gate.checks.filter((c) => !c.passed && c.blocking !== false).map((c) => c.name);
      return `routegate blocked ${code(r.summary.eval)}: ${failed.map(md).join("; ")}`;
    });
  const warnings = [
    ...ordered
      .filter((r) => r.summary.simulated)
      .map(
        (r) => `${code(r.summary.eval)} ran on the simulated provider: its numbers are not evidence about real models.`,
      ),
    ...ordered
      .filter((r) => r.summary.gate.reviewRequired?.length)
      .map(
        (r) =>
          `${code(r.summary.eval)} changes the gate's own inputs (${r.summary.gate.reviewRequired!.map(md).join("; ")}): judged by the ${md(r.summary.gate.inputsFrom)} versions; review these changes separately.`,
      ),
  ];
  const header = `## routegate: ${headline(ordered.map((r) => gateVerdict(r.summary.gate)))}`;
  const body = ordered.map(
    (r) =>
      `<details${r.summary.gate.passed ? "" : " open"}><summary>${{ passed: "passed", "no-gates": "no gates", blocked: "BLOCKED" }[gateVerdict(r.summary.gate)]}: ${md(r.summary.eval)}</summary>\n\n${r.markdown}\n</details>`,
  );
  return { markdown: [header, ...body].join("\n\n"), failures, warnings };
}

/** "all 2 evals passed", "1 of 3 evals blocked, 1 without gates": an eval without gates never counts as passed. */
function headline(verdicts: readonly ReturnType<typeof gateVerdict>[]): string {
  const count = (v: ReturnType<typeof gateVerdict>) => verdicts.filter((x) => x === v).length;
  const [blocked, passed, ungated] = [count("blocked"), count("passed"), count("no-gates")];
  const n = verdicts.length;
  const without = ungated ? `, ${ungated} without gates` : "";
  if (blocked) return `${blocked} of ${n} evals blocked${without}`;
  if (!passed) return `no gates in ${n === 1 ? "the 1 eval" : `any of ${n} evals`}`;
  return passed === n ? `all ${n} evals passed` : `${passed} of ${n} evals passed${without}`;
}
