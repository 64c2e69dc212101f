import { fileURLToPath } from "node:url";
import { importTextClass } from "../src/importers/textclass.ts";
import { runImported } from "../src/importers/run-imported.ts";
import { qualityCostRouter } from "../src/routing/learn/quality-cost-router.ts";
import { cascadeRouter } from "../src/routing/builtin/cascade.ts";
import { agreementWith } from "../src/routing/confidence/agreement.ts";
import { newcombePairedInterval, pairedTable } from "../src/stats/index.ts";
const DATA = fileURLToPath(new URL("../../shared/data/textclass", import.meta.url));
for (const task of (process.argv[2] ?? "toxicity_en,policy_topic_en,sust_finance_en,technology_en").split(",")) {
  const bench = importTextClass(DATA, task);
  const base = { name: task, scorer: { type: "label", labels: bench.labels }, select: { minQualityRatio: 1 } } as const;
  const t0 = performance.now();
  const singles = await runImported(bench, base);
  const cal = singles.split.calibration;
  const calMean = (a: ArrayLike<number>) => { let s = 0, n = 0; for (let i = 0; i < a.length; i++) if (cal[i]) { s += a[i]!; n++; } return s / n; };
  const m = singles.matrix;
  const stats = m.models.map((id, k) => ({ id, q: calMean(m.score[k]!), c: calMean(m.cost[k]!) }));
  const best = [...stats].sort((a, b) => b.q - a.q || a.c - b.c)[0]!;
  const cheap = stats.filter((s) => s.c <= best.c / 2).sort((a, b) => b.q - a.q || a.c - b.c);
  const probes = cheap.slice(0, 2).map((s) => s.id);
  const models = m.models;
  const r = await runImported(bench, { ...base, routers: [
    qualityCostRouter({ models, predictor: "means", id: "qc-means" }),
    qualityCostRouter({ models, id: "qc-learned" }),
    qualityCostRouter({ models, probes, id: "qc-probed" }),
    cascadeRouter({ models: [probes[0]!, best.id], sources: [agreementWith(probes[1]!)], id: "agree-cascade" }),
  ] });
  console.log(task, "time", ((performance.now() - t0) / 1000).toFixed(1), "best", best.id, best.q.toFixed(4), "probes", probes.join(" "));
  const ho = r.split.heldOut;
  const bestK = models.indexOf(best.id);
  const bestHo = Array.from(m.score[bestK]!).filter((_, i) => ho[i]);
  const bestCost = r.summary.routers.find((x) => x.id === `always:${best.id}`)!.costPer1k;
  for (const e of r.evaluated.filter((e) => !e.router.id.startsWith("always:"))) {
    const s = r.summary.routers.find((x) => x.id === e.router.id)!;
    const q = Array.from(e.outcome.quality).filter((_, i) => ho[i]);
    const d = newcombePairedInterval(pairedTable(bestHo, q));
    console.log("  ", s.id, "q", s.quality.mean.toFixed(4), "costRatio", (s.costPer1k / bestCost).toFixed(3), "D", d.delta.toFixed(4), "L", d.lower.toFixed(4), "lambda", s.params["lambda"] ?? s.params["threshold"]);
  }
  console.log("   aiq", JSON.stringify(r.summary.aiq));
}
