import { escapeMarkdown, markdownCode } from "../core/markdown-escape.ts";
import type { Plan } from "./build-plan.ts";
import type { Lever, Projection } from "./plan.ts";

// The plan as a neutral document (headings, paragraphs, tables), rendered to Markdown for the CLI
// and report.md, and to escaped HTML for report.html: one layout, two outputs that cannot drift.

/** Paragraph text: plain strings, and ids shown as code. Every part is data to escape, never markup. */
type Inline = string | { code: string };
type Block = { h: string } | { p: Inline[] } | { list: string[] } | { table: { head: string[]; rows: string[][] } };

const LEVER_LABEL: Record<Lever, string> = {
  list: "list (no levers)",
  caching: "prompt caching",
  batch: "batch share",
  "caching+batch": "caching + batch",
  "self-hosting": "self-hosting",
  all: "all levers",
};

export function usd(n: number): string {
  if (n < 0) return `-${usd(-n)}`;
  if (n === 0) return "$0";
  if (n >= 100) return `$${Math.round(n).toLocaleString("en-US")}`;
  if (n >= 1) return `$${n.toFixed(2)}`;
  return `$${n.toPrecision(3)}`;
}
const pct = (n: number | null) => (n === null ? "–" : `${(n * 100).toFixed(1)}%`);
/** A saving; past -100% a percentage stops reading well, so say how many times dearer it is. */
const saving = (n: number | null) => (n === null || n >= -1 ? pct(n) : `${(1 - n).toFixed(1)}x dearer`);
const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** In the "all levers" column: which levers the cheapest combination uses, when not all of them. */
function combinationNote(x: Projection): string {
  if (x.lever !== "all" || !x.combination) return "";
  if (x.combination.length === 0) return ": no lever lowers it";
  return x.combination.includes("self-hosting") && x.combination.length === 3 ? "" : `: ${x.combination.join(" + ")}`;
}

export function planBlocks(plan: Plan): Block[] {
  const blocks: Block[] = [{ h: `Cost plan: ${plan.eval}` }];
  if (plan.simulated)
    blocks.push({ p: ["SIMULATED run: the projection shows the method, not real prices of real models."] });
  blocks.push({
    p: [
      `${int(plan.requestsPerMonth)} requests/month, cache TTL ${plan.cacheTtlSeconds} s. `,
      ...(plan.reference
        ? [
            "Reference: ",
            { code: plan.reference.id },
            ` at list price, real time: ${usd(plan.reference.monthlyUsd)}/month.`,
          ]
        : ["No reference model."]),
    ],
  });
  blocks.push({
    table: {
      head: ["feature", "requests/month", "batchable", "cache hit (full traffic)"],
      rows: plan.features.map((f) => [f.name, int(f.requestsPerMonth), pct(f.batchableShare), pct(f.cacheHit)]),
    },
  });
  const levers = plan.policies[0]?.projections.map((p) => p.lever) ?? [];
  blocks.push({ h: "Monthly bill by policy and lever (saving vs reference)" });
  blocks.push({
    table: {
      head: ["policy", "quality", ...levers.map((l) => LEVER_LABEL[l])],
      rows: plan.policies.map((p) => [
        p.id,
        p.quality.toFixed(3),
        ...p.projections.map((x) => `${usd(x.monthlyUsd)} (${saving(x.savingVsReference)})${combinationNote(x)}`),
      ]),
    },
  });
  const dropped = plan.policies.filter((p) =>
    p.projections.some((x) => x.lever === "all" && !x.combination?.includes("self-hosting")),
  );
  if (dropped.length)
    blocks.push({
      p: [
        '"All levers" is the cheapest combination of levers for each policy. Self-hosting makes the bill higher for ',
        ...dropped.flatMap((p, i) => [...(i ? [", "] : []), { code: p.id }]),
        ", so their column leaves it out (its own column shows what it would cost).",
      ],
    });
  const best = levers[levers.length - 1];
  blocks.push({ h: `Cost per request: list vs ${best ? LEVER_LABEL[best] : "levers"} (mean / p90 / p99)` });
  blocks.push({
    table: {
      head: ["policy", "list mean / p90 / p99", `${best ? LEVER_LABEL[best] : ""} mean / p90 / p99`],
      rows: plan.policies.map((p) => {
        const first = p.projections[0]!;
        const last = p.projections[p.projections.length - 1]!;
        const fmt = (x: typeof first) =>
          `${usd(x.meanUsd)} / ${usd(x.p90Usd)} / ${x.p99Usd === null ? "n too small" : usd(x.p99Usd)}`;
        return [p.id, fmt(first), fmt(last)];
      }),
    },
  });
  const sh = plan.selfHosting;
  if (sh) {
    blocks.push({ h: `Self-hosting ${sh.replaces}` });
    blocks.push({
      p: [
        `${int(sh.outputTokensPerSec)} output tok/s (${sh.throughputBasis}` +
          `${sh.inputTokensPerSec === null ? "; prefill inside the output rate)" : `) + ${int(sh.inputTokensPerSec)} prefill tok/s`}, utilisation ${pct(sh.utilisation)}: ` +
          `GPUs ${usd(sh.gpuMonthlyUsd)}/month${sh.opsMonthlyUsd > 0 ? ` + operations ${usd(sh.opsMonthlyUsd)}/month` : ""} vs API (caching + batch) ${usd(sh.apiMonthlyUsd)}/month for all traffic on ${sh.replaces}. ` +
          `Busy ${sh.busyHours.toFixed(1)} h/month (one always-on deployment at ${pct(sh.fleetUtilisation)}). ` +
          breakEvens(
            sh.breakEvenUtilisation,
            sh.breakEvenRequestsPerMonth,
            sh.utilisation,
            sh.opsMonthlyUsd > 0 ? " (GPUs + operations)" : "",
          ),
      ],
    });
    blocks.push({ p: [selfHostVerdict(sh)] });
    blocks.push({
      table: {
        head: ["volume \\ utilisation", ...(sh.sensitivity[0] ?? []).map((c) => pct(c.utilisation))],
        rows: sh.sensitivity.map((row) => [
          `${row[0]?.volumeMultiplier}x (${int(row[0]?.requestsPerMonth ?? 0)}; API ${usd(row[0]?.apiMonthlyUsd ?? 0)})`,
          ...row.map(
            (c) => `${usd(c.gpuMonthlyUsd + (c.gpuMonthlyUsd > 0 ? sh.opsMonthlyUsd : 0))} (${saving(c.saving)})`,
          ),
        ]),
      },
    });
  }
  const ft = plan.fineTune;
  if (ft) {
    blocks.push({ h: `Fine-tuned candidate${ft.candidate ? ` ${ft.candidate}` : ""}` });
    blocks.push({
      p: [
        `${usd(ft.perRequestUsd)} per request${ft.quality === null ? "" : `, quality ${ft.quality.toFixed(3)}`}; ` +
          `training ${usd(ft.trainingCostUsd)} (${ft.trainingCostSource === "job" ? "as its fine-tuning job reported it" : "from the traffic profile"})` +
          `${ft.setupCostUsd > 0 ? ` + setup ${usd(ft.setupCostUsd)}` : ""}, ` +
          `${ft.retrainEveryMonths !== null && ft.retrainEveryMonths < ft.amortiseMonths ? `paid again every ${ft.retrainEveryMonths} months (retraining)` : `spread over ${ft.amortiseMonths} months`}: ` +
          `${usd(ft.trainingMonthlyUsd)}/month of training, ${usd(ft.monthlyUsd)}/month in all at this volume. ` +
          "Break-even volume = monthly training share / saving per request.",
      ],
    });
    blocks.push({
      table: {
        head: ["instead of", "list mean / request", "saving / request", "break-even requests/month"],
        rows: ft.versus.map((v) => [
          v.policy,
          usd(v.meanUsd),
          usd(v.savingPerRequestUsd),
          v.breakEvenRequestsPerMonth === null ? "never" : int(v.breakEvenRequestsPerMonth),
        ]),
      },
    });
  }
  if (plan.notes.length) blocks.push({ list: plan.notes });
  return blocks;
}

export function renderPlanMarkdown(plan: Plan, level = 1): string {
  const hashes = "#".repeat(level);
  const out: string[] = [];
  planBlocks(plan).forEach((b, i) => {
    if ("h" in b) out.push(`${i === 0 ? hashes : `${hashes}#`} ${escapeMarkdown(b.h)}`);
    else if ("p" in b)
      out.push(
        b.p.map((part) => (typeof part === "string" ? escapeKeepingBlanks(part) : markdownCode(part.code))).join(""),
      );
    else if ("list" in b) out.push(b.list.map((line) => `- ${escapeMarkdown(line)}`).join("\n"));
    else {
      const cell = escapeMarkdown;
      out.push(
        [
          `| ${b.table.head.map(cell).join(" | ")} |`,
          `|${b.table.head.map(() => "---").join("|")}|`,
          ...b.table.rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
        ].join("\n"),
      );
    }
  });
  return `${out.join("\n\n")}\n`;
}

/** escapeMarkdown trims a value; parts of one paragraph keep the blanks that separate them. */
const escapeKeepingBlanks = (part: string) =>
  `${/^\s/.test(part) ? " " : ""}${escapeMarkdown(part)}${/\s$/.test(part) ? " " : ""}`;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function renderPlanHtml(plan: Plan): string {
  const parts = planBlocks(plan).map((b, i) => {
    if ("h" in b) return i === 0 ? `<h2>${esc(b.h)}</h2>` : `<h3>${esc(b.h)}</h3>`;
    if ("p" in b)
      return `<p>${b.p.map((part) => (typeof part === "string" ? esc(part) : `<code>${esc(part.code)}</code>`)).join("")}</p>`;
    if ("list" in b) return `<ul>${b.list.map((line) => `<li>${esc(line)}</li>`).join("")}</ul>`;
    const head = b.table.head.map((c) => `<th>${esc(c)}</th>`).join("");
    // The first column names the row (a policy, a feature, a volume): left-aligned like the report's ids.
    const rows = b.table.rows
      .map((r) => `<tr>${r.map((c, i) => `<td${i === 0 ? ' class="id"' : ""}>${esc(c)}</td>`).join("")}</tr>`)
      .join("\n");
    return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
  });
  return `<section id="cost-plan">\n${parts.join("\n")}\n</section>\n`;
}

function breakEvens(util: number | null, requests: number | null, at: number, what: string): string {
  return (
    `Break-even utilisation${what} ${util === null ? "never (the API bill is under the operations cost alone)" : pct(util)}` +
    `${util !== null && util > 1 ? " (never pays)" : ""}; ` +
    `break-even volume at ${pct(at)}: ${requests === null ? "never" : `${int(requests)} requests/month`}.`
  );
}

/** Which side wins at this volume, with and without the people who run the GPUs. */
function selfHostVerdict(sh: NonNullable<Plan["selfHosting"]>): string {
  const side = (s: "self-hosting" | "api") => (s === "api" ? "the API wins" : "self-hosting wins");
  if (sh.opsMonthlyUsd === 0)
    return `Verdict at this volume: ${side(sh.cheaper.withoutOps)} on the GPU bill alone; no operations cost was given (selfHosting.opsCostPerMonthUsd: on-call, upgrades, engineer time), so the people who run it are not counted.`;
  const changed = sh.cheaper.withOps !== sh.cheaper.withoutOps;
  return (
    `Verdict at this volume: without operations cost ${side(sh.cheaper.withoutOps)} (GPUs ${usd(sh.gpuMonthlyUsd)} vs API ${usd(sh.apiMonthlyUsd)}); ` +
    `with ${usd(sh.opsMonthlyUsd)}/month of operations ${side(sh.cheaper.withOps)} (${usd(sh.gpuMonthlyUsd + sh.opsMonthlyUsd)} vs ${usd(sh.apiMonthlyUsd)})` +
    `${changed ? ": the operations cost flips the answer" : ""}. ` +
    breakEvens(
      sh.withoutOps.breakEvenUtilisation,
      sh.withoutOps.breakEvenRequestsPerMonth,
      sh.utilisation,
      " without operations",
    )
  );
}
