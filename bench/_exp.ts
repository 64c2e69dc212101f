import { fileURLToPath } from "node:url";
import { importGsm8k } from "../src/importers/gsm8k.ts";
import { runImported } from "../src/importers/run-imported.ts";
import { lengthRouter } from "../src/routing/index.ts";
import { learnedRouter } from "../src/routing/learn/learned-router.ts";
import { cascadeRouter } from "../src/routing/builtin/cascade.ts";
import { arithmeticChecksOut, hasFinalNumber, verifierSource } from "../src/routing/confidence/verifiers.ts";
const DATA = fileURLToPath(new URL("../../shared/data/routellm_gsm8k", import.meta.url));
const bench = importGsm8k(DATA, { excludeContaminated: true });
const { weak, strong } = bench;
const t0 = performance.now();
const r = await runImported(bench, {
  name: "x", weak, strong, scorer: { type: "numeric", routellmCompat: true },
  routers: [lengthRouter({ weak, strong }), learnedRouter({ weak, strong }), learnedRouter({ weak, strong, useWeakAnswer: true }),
    cascadeRouter({ models: [weak, strong], sources: [verifierSource("final", hasFinalNumber()), verifierSource("arith", arithmeticChecksOut())], combine: "mean" })],
});
console.log("time", (performance.now() - t0) / 1000);
for (const x of r.summary.routers) console.log(x.id, x.heldOut, x.items, "q", x.quality.mean.toFixed(4), "cost", x.costPer1k.toFixed(3), "apgr", x.apgr?.toFixed(4), "cpt", JSON.stringify(x.cpt), "share", x.strongShare?.toFixed(3), "l2" , x.params["l2"]);
