import type { DecisionLogLine } from "../contracts/decision-log-line.ts";
import type { Item } from "../core/types.ts";
import { inputText } from "../routing/builtin/length.ts";
import type { AnyRouter, RouterParams } from "../routing/router.ts";
import { categoricalPsi, KS_ALARM, ksStatistic, PSI_ALARM, psi } from "../stats/drift.ts";

// `routegate drift`: does the eval's golden set still represent a feature's live traffic? Three
// views, per feature: the router input's length, the router's score (its rank), and the share of
// decisions per model. The golden side is computed here with the same router code and params:
// scored without model calls, so a router whose score step calls models (a classifier, a
// cascade) has its score and decision views reported as not compared.

export interface DriftCheck {
  what: "input length" | "router score" | "decision share";
  psi: number;
  /** KS D (absent for the categorical decision shares). */
  ks?: number;
  alarm: boolean;
  golden: string;
  live: string;
}

export interface DriftReport {
  route: string;
  goldenItems: number;
  liveRequests: number;
  checks: DriftCheck[];
  notCompared: string[];
  alarm: boolean;
}

/** Fewer live requests than this say nothing: the report says so and raises no alarm. */
export const MIN_LIVE = 30;

export async function driftReport(
  route: string,
  golden: readonly Item[],
  live: readonly DecisionLogLine[],
  router: { code: AnyRouter; params: RouterParams; models: string[] } | undefined,
): Promise<DriftReport> {
  const lines = live.filter((l) => l.route === route && l.status === 200);
  const checks: DriftCheck[] = [];
  const notCompared: string[] = [];
  const numeric = (what: DriftCheck["what"], ref: number[], now: number[]) => {
    const p = psi(ref, now);
    const d = ksStatistic(ref, now);
    checks.push({ what, psi: p, ks: d, alarm: p > PSI_ALARM || d > KS_ALARM, golden: median(ref), live: median(now) });
  };
  if (lines.length < MIN_LIVE)
    notCompared.push(`only ${lines.length} answered requests for ${route} (need ${MIN_LIVE})`);
  else {
    numeric(
      "input length",
      golden.map((i) => inputText(i).length),
      lines.map((l) => l.inputChars),
    );
    if (!router) notCompared.push("router score and decision share: no --config names the router and its params");
    else {
      const scored = await scoreOffline(golden, router);
      if (typeof scored === "string") notCompared.push(`router score and decision share: ${scored}`);
      else {
        const ranked = lines.filter((l) => typeof l.rank === "number").map((l) => l.rank!);
        if (scored.ranks.length && ranked.length >= MIN_LIVE) numeric("router score", scored.ranks, ranked);
        else notCompared.push("router score: the router has no single-number score (rank)");
        const chosen = lines.filter((l) => l.chosen).map((l) => l.chosen!);
        const p = categoricalPsi(scored.decisions, chosen);
        checks.push({
          what: "decision share",
          psi: p,
          alarm: p > PSI_ALARM,
          golden: shares(scored.decisions),
          live: shares(chosen),
        });
      }
    }
  }
  return {
    route,
    goldenItems: golden.length,
    liveRequests: lines.length,
    checks,
    notCompared,
    alarm: checks.some((c) => c.alarm),
  };
}

async function scoreOffline(
  golden: readonly Item[],
  router: { code: AnyRouter; params: RouterParams; models: string[] },
): Promise<{ ranks: number[]; decisions: string[] } | string> {
  const ranks: number[] = [];
  const decisions: string[] = [];
  const ctx = {
    request: { messages: [], maxTokens: 1 },
    models: router.models,
    call: () => Promise.reject(new Error("model calls are not made offline")),
    embed: () => Promise.reject(new Error("embedding calls are not made offline")),
  };
  try {
    for (const item of golden) {
      const scores = await router.code.score(item, ctx);
      decisions.push(router.code.decide(scores, router.params).model);
      const r = router.code.rank?.(scores, router.params);
      if (typeof r === "number" && Number.isFinite(r)) ranks.push(r);
    }
  } catch {
    return `router "${router.code.id}" calls models to score, which drift does not do`;
  }
  return { ranks, decisions };
}

function median(xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]?.toPrecision(4) ?? "-"}`;
}

function shares(xs: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()]
    .sort()
    .map(([k, n]) => `${k} ${((100 * n) / xs.length).toFixed(0)}%`)
    .join(", ");
}

export function renderDrift(r: DriftReport): string {
  const out = [
    `## Drift: ${r.route}`,
    "",
    `${r.goldenItems} golden items vs ${r.liveRequests} live requests. Alarm: PSI > ${PSI_ALARM} or KS D > ${KS_ALARM} (effect sizes, not p-values).`,
    "",
  ];
  if (r.checks.length) {
    out.push("| view | PSI | KS D | golden | live | |", "|---|---|---|---|---|---|");
    for (const c of r.checks)
      out.push(
        `| ${c.what} | ${c.psi.toFixed(3)} | ${c.ks === undefined ? "-" : c.ks.toFixed(3)} | ${c.golden} | ${c.live} | ${c.alarm ? "**moved**" : "ok"} |`,
      );
  }
  for (const n of r.notCompared) out.push(`- not compared: ${n}`);
  out.push(
    "",
    r.alarm
      ? `The golden set no longer represents ${r.route} traffic: ${r.checks
          .filter((c) => c.alarm)
          .map((c) => c.what)
          .join(", ")} moved. Sample fresh items with \`routegate traffic sample\`.`
      : "No view moved past its threshold.",
    "",
  );
  return out.join("\n");
}
