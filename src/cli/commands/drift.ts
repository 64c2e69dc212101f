import { readFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { loadEvalFile } from "../../config/load-eval.ts";
import { parseRoutingConfig, RoutingConfigError } from "../../contracts/routing-config.ts";
import { ExitCode, InputError } from "../../core/errors.ts";
import { loadDataset } from "../../datasets/load-dataset.ts";
import { driftReport, renderDrift } from "../../traffic/drift-report.ts";
import { readDecisionLog } from "../../traffic/read-log.ts";
import { discoverEvalFiles } from "../discover.ts";

interface DriftArgs {
  log: string;
  eval: string;
  config?: string;
  route?: string;
}

export function driftCommand(setCode: (code: number) => void): CommandModule<object, DriftArgs> {
  return {
    command: "drift",
    describe: "Compare live traffic with an eval's golden set; exit 1 when the golden set no longer represents it",
    builder: (y) =>
      y
        .option("log", { type: "string", demandOption: true, describe: "decision log written by routegate serve" })
        .option("eval", { type: "string", demandOption: true, describe: "eval name (evals/<name>.eval.ts) or file" })
        .option("config", { type: "string", describe: "the routing config served (router id and params)" })
        .option("route", {
          type: "string",
          describe: "the route (feature) to compare; default: the eval's name",
        }) as never,
    handler: async (args) => {
      const [file] = discoverEvalFiles(process.cwd(), [args.eval]);
      const evalConfig = await loadEvalFile(file!);
      const golden = loadDataset(evalConfig.dataset).items;
      let router: Parameters<typeof driftReport>[3];
      if (args.config) {
        let cfg: ReturnType<typeof parseRoutingConfig>;
        try {
          cfg = parseRoutingConfig(readFileSync(args.config, "utf8"), args.config);
        } catch (err) {
          if (err instanceof RoutingConfigError || (err as NodeJS.ErrnoException).code === "ENOENT")
            throw new InputError(
              args.config,
              undefined,
              (err as Error).message,
              "give the routing config the gateway serves",
            );
          throw err;
        }
        const code = evalConfig.routers.find((r) => r.id === cfg.router.id);
        if (!code)
          throw new InputError(
            args.config,
            "router.id",
            `router "${cfg.router.id}" is not in ${file}`,
            "pass the eval whose router it is",
          );
        router = { code, params: cfg.router.params, models: cfg.models.map((m) => m.id) };
      }
      const report = await driftReport(args.route ?? evalConfig.name, golden, readDecisionLog(args.log), router);
      process.stdout.write(renderDrift(report));
      if (report.alarm) setCode(ExitCode.GateFailed);
    },
  };
}
