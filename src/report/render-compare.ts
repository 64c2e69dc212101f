import { escapeMarkdown as cell, markdownCode as code } from "../core/markdown-escape.ts";
import type { RunDiff } from "./compare-runs.ts";
import { fixed, pct, pointsChange, relChange, signed, usd } from "./format.ts";
import { featureLabel } from "./report-view.ts";

/** The Markdown of `routegate compare`: B against A, one row per policy, then what changed around it. */
export function renderRunDiff(diff: RunDiff, forcedReason: string | null = null): string {
  const { a, b } = diff;
  const out: string[] = [];
  if (diff.simulated)
    out.push(
      "> **SIMULATED**: at least one of these runs used the `sim` provider. Its numbers demonstrate the pipeline and are not evidence about any real model.",
      "",
    );
  const title = cell(a.eval === b.eval ? a.eval : `${a.eval} → ${b.eval}`);
  out.push(`# routegate compare: ${title}`, "");
  out.push(`- A: run ${code(a.runId)} (${cell(a.createdAt)})`, `- B: run ${code(b.runId)} (${cell(b.createdAt)})`);
  if (forcedReason) out.push("", `> **Compared with --force**: ${cell(forcedReason)}.`);
  else
    out.push(
      `- Dataset ${code(b.dataset.name)} (${b.dataset.items} items, sha256 ${code(b.dataset.hash.slice(0, 12))}) in both.`,
    );
  out.push("");

  out.push("| policy | quality A → B | Δ quality | $ / 1K A → B | Δ cost | strong share A → B | Δ strong share |");
  out.push("|---|---|---|---|---|---|---|");
  for (const p of diff.policies) {
    const status = !p.a ? " (added)" : !p.b ? " (removed)" : p.paramsChanged ? " (params changed)" : "";
    const q = `${fixed(p.a?.quality.mean, 3)} → ${fixed(p.b?.quality.mean, 3)}`;
    const c = `${usd(p.a?.costPer1k)} → ${usd(p.b?.costPer1k)}`;
    const s = `${pct(p.a?.strongShare)} → ${pct(p.b?.strongShare)}`;
    const dq = p.quality === null ? "–" : signed(p.quality, 3);
    const dc = p.a && p.b ? `${relChange(p.a.costPer1k, p.b.costPer1k)}` : "–";
    const ds = p.strongShare === null ? "–" : pointsChange(p.a?.strongShare, p.b?.strongShare);
    out.push(`| ${cell(p.id)}${status} | ${q} | ${dq} | ${c} | ${dc} | ${s} | ${ds} |`);
  }
  out.push("");

  if (diff.features.length > 1) {
    const shared = diff.policies.filter((_, k) => diff.features.some((f) => f.quality[k] !== null));
    out.push("Quality Δ per feature (B − A):", "");
    out.push(`| policy |${diff.features.map((f) => ` ${cell(featureLabel(f.feature))} |`).join("")}`);
    out.push(`|---|${diff.features.map(() => "---|").join("")}`);
    for (const p of shared) {
      const k = diff.policies.indexOf(p);
      out.push(`| ${cell(p.id)} |${diff.features.map((f) => ` ${signed(f.quality[k], 3)} |`).join("")}`);
    }
    out.push("");
  }

  const list = (ids: string[]) => ids.map(code).join(", ");
  const changes: string[] = [];
  if (diff.modelsAdded.length) changes.push(`- Models added in B: ${list(diff.modelsAdded)}`);
  if (diff.modelsRemoved.length) changes.push(`- Models removed in B: ${list(diff.modelsRemoved)}`);
  if (diff.policiesAdded.length) changes.push(`- Policies added in B: ${list(diff.policiesAdded)}`);
  if (diff.policiesRemoved.length) changes.push(`- Policies removed in B: ${list(diff.policiesRemoved)}`);
  if (!diff.modelsAdded.length && !diff.modelsRemoved.length) changes.push("- Same models in both runs.");
  out.push(...changes);
  for (const note of diff.notes) out.push(`- ${cell(note)}`);
  return `${out.join("\n")}\n`;
}
