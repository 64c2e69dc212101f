import { writeFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { loadEvalFile } from "../../config/load-eval.ts";
import { buildRoutingConfig } from "../../export/build-routing-config.ts";
import { describeParams } from "../../routing/params.ts";
import { allowancesNeeded } from "../../runtime/allow-list.ts";
import { discoverEvalFiles } from "../discover.ts";
import { prepareFilePath } from "../file-paths.ts";

interface ExportArgs {
  eval: string;
  router: string;
  reports: string;
  out: string;
}

export function exportCommand(): CommandModule<object, ExportArgs> {
  return {
    command: "export",
    describe: "Write the routing config production loads, from an eval's latest run",
    builder: (y) =>
      y
        .option("eval", { type: "string", demandOption: true, describe: "eval name (evals/<name>.eval.ts) or file" })
        .option("router", {
          type: "string",
          demandOption: true,
          describe: "router id to export (at its calibrated operating point)",
        })
        .option("reports", { type: "string", default: "reports", describe: "reports folder the eval wrote" })
        .option("out", { type: "string", default: "routing.config.json", describe: "output file" }) as never,
    handler: async (args) => {
      const [file] = discoverEvalFiles(process.cwd(), [args.eval]);
      const config = await loadEvalFile(file!);
      const routing = buildRoutingConfig(config, args.router, args.reports, process.cwd());
      prepareFilePath(args.out, "--out", "routing.config.json");
      const text = `${JSON.stringify(routing, null, 2)}
`;
      writeFileSync(args.out, text);
      const p = routing.provenance;
      process.stderr.write(
        `wrote ${args.out} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB): ${routing.router.id} (${describeParams(routing.router.params)}; quality ${p.quality.toFixed(3)}${p.heldOut ? " held-out" : ""}, $${p.costPer1k.toPrecision(3)}/1K, run ${p.runId})
`,
      );
      // The config cannot grant these itself: the service that loads it must, in its own code.
      const allow = allowancesNeeded([...routing.models, ...(routing.embedders ?? [])]);
      if (Object.keys(allow).length)
        process.stderr.write(
          `note: production refuses this config unless the host code allows what it uses: createRouter(config, { routers, allow: ${JSON.stringify(allow)} })\n`,
        );
    },
  };
}
