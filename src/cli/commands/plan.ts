import type { CommandModule } from "yargs";
import { buildPlan } from "../../economics/build-plan.ts";
import { renderPlanMarkdown } from "../../economics/render-plan.ts";
import { loadTrafficProfile } from "../../economics/traffic-profile.ts";
import { defaultPriceBook } from "../../pricing/price-book.ts";
import { loadSummary } from "../../report/load-summary.ts";

interface PlanArgs {
  eval: string;
  traffic: string;
  reports: string;
  json: boolean;
}

export function planCommand(): CommandModule<object, PlanArgs> {
  return {
    command: "plan",
    describe:
      "Project each policy's monthly bill onto a traffic profile under prompt caching, batch, fine-tuning and self-hosting",
    builder: (y) =>
      y
        .option("eval", {
          type: "string",
          demandOption: true,
          describe: "eval name (its latest run), a run folder, a summary.json, or EVAL@RUN_ID",
        })
        .option("traffic", { type: "string", demandOption: true, describe: "traffic profile (JSON)" })
        .option("reports", { type: "string", default: "reports", describe: "reports folder" })
        .option("json", { type: "boolean", default: false, describe: "print the plan as JSON instead of Markdown" })
        .example(
          "$0 plan --eval triage --traffic datasets/triage/traffic.json",
          "project triage onto its traffic",
        ) as never,
    handler: (args) => {
      // A bare eval name means its latest run; anything else is a run reference as for `compare`.
      const ref =
        /^[a-z0-9][a-z0-9._-]*$/i.test(args.eval) && !args.eval.endsWith(".json") ? `${args.eval}@latest` : args.eval;
      const { summary } = loadSummary(ref, args.reports);
      const plan = buildPlan(summary, loadTrafficProfile(args.traffic), defaultPriceBook());
      process.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanMarkdown(plan));
    },
  };
}
