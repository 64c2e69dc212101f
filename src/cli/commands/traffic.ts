import { writeFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { InputError } from "../../core/errors.ts";
import { createRng } from "../../stats/random.ts";
import { readDecisionLog } from "../../traffic/read-log.ts";
import { sampleTraffic } from "../../traffic/sample-traffic.ts";
import { prepareFilePath } from "../file-paths.ts";

interface SampleArgs {
  log: string;
  n: number;
  out: string;
  seed: string;
  route?: string[];
}

export function trafficCommand(): CommandModule<object, object> {
  return {
    command: "traffic <action>",
    describe: "Turn live traffic (routegate serve decision logs) into dataset lines to label",
    builder: (y) => y.command(sampleCommand()).demandCommand(1, "name an action: sample") as never,
    handler: () => {},
  };
}

function sampleCommand(): CommandModule<object, SampleArgs> {
  return {
    command: "sample",
    describe: "Sample logged requests (redacted, near-duplicates removed, stratified by feature and model)",
    builder: (y) =>
      y
        .option("log", {
          type: "string",
          demandOption: true,
          describe: "decision log (serve --decision-log --log-content)",
        })
        .option("n", { type: "number", default: 500, describe: "lines to sample" })
        .option("out", {
          type: "string",
          demandOption: true,
          describe: "dataset file, e.g. datasets/<name>/items.jsonl",
        })
        .option("seed", { type: "string", default: "routegate", describe: "sampling seed (same seed, same sample)" })
        .option("route", { type: "string", array: true, describe: "only these routes (features)" }) as never,
    handler: (args) => {
      if (!(Number.isInteger(args.n) && args.n > 0))
        throw new InputError("--n", undefined, `${args.n} is not a positive whole number`, "e.g. --n 500");
      const log = readDecisionLog(args.log);
      const sample = sampleTraffic(
        log,
        { n: args.n, seed: args.seed, ...(args.route ? { routes: args.route } : {}) },
        createRng(args.seed),
      );
      if (!sample.lines.length)
        throw new InputError(
          args.log,
          undefined,
          `no answered request with logged content (${sample.withoutContent} without content)`,
          "run routegate serve with --log-content",
        );
      prepareFilePath(args.out, "--out", "datasets/<name>/items.jsonl");
      writeFileSync(args.out, sample.lines.map((l) => `${JSON.stringify(l)}\n`).join(""), { mode: 0o600 });
      process.stderr.write(
        `wrote ${args.out}: ${sample.lines.length} of ${sample.eligible} requests (${sample.duplicates} near-duplicates skipped, ${sample.withoutContent} without content); by stratum: ${sample.strata.map((s) => `${s.route}/${s.model} ${s.sampled}/${s.traffic}`).join(", ")}. Label each line's "expected"; redaction covers e-mails, phone numbers and keys, not names or street addresses.\n`,
      );
    },
  };
}
