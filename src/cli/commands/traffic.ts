import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { parseModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import { createProviderRegistry } from "../../providers/registry.ts";
import { createRng } from "../../stats/random.ts";
import { prelabel } from "../../traffic/judge-prelabel.ts";
import { readDecisionLog } from "../../traffic/read-log.ts";
import { sampleTraffic } from "../../traffic/sample-traffic.ts";
import { prepareFilePath } from "../file-paths.ts";

interface SampleArgs {
  log: string;
  n: number;
  out: string;
  seed: string;
  route?: string[];
  judge?: string;
  labels?: string;
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
        .option("route", { type: "string", array: true, describe: "only these routes (features)" })
        .option("judge", {
          type: "string",
          describe:
            "a model that proposes each line's label (e.g. openai:gpt-4o); marked as the judge's, never as a person's",
        })
        .option("labels", {
          type: "string",
          describe: "the labels the judge chooses from: a comma list, or a JSON file ([...] or {labels: [...]})",
        }) as never,
    handler: async (args) => {
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
      let lines = sample.lines;
      let prelabelled = "";
      if (args.judge) {
        const labels = labelsOf(args.labels);
        const spec = parseModelSpec(args.judge);
        const provider = createProviderRegistry().get(spec.provider, { file: "--judge" });
        provider.validate?.(spec, { file: "--judge", where: args.judge });
        const done = await prelabel(lines, labels, args.judge, async (request, itemId) => {
          const r = await provider.complete(spec, request, {
            identity: { itemId, role: "judge", sample: 0, parents: [] },
          });
          return r.text;
        });
        lines = done.lines;
        prelabelled = ` ${args.judge} proposed labels for ${done.labelled} lines (metadata.judgeLabel; ${done.unparsed} answers named no label, ${done.failed} calls failed): review each one, then set "expected".`;
      }
      prepareFilePath(args.out, "--out", "datasets/<name>/items.jsonl");
      writeFileSync(args.out, lines.map((l) => `${JSON.stringify(l)}\n`).join(""), { mode: 0o600 });
      process.stderr.write(
        `wrote ${args.out}: ${sample.lines.length} of ${sample.eligible} requests (${sample.duplicates} near-duplicates skipped, ${sample.withoutContent} without content); by stratum: ${sample.strata.map((s) => `${s.route}/${s.model} ${s.sampled}/${s.traffic}`).join(", ")}. Label each line's "expected"; redaction covers e-mails, phone numbers and keys, not names or street addresses.${prelabelled}\n`,
      );
    },
  };
}

function labelsOf(arg: string | undefined): string[] {
  if (!arg)
    throw new InputError(
      "--labels",
      undefined,
      "--judge needs the labels it chooses from",
      "e.g. --labels billing,technical,other",
    );
  let labels: unknown = arg
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);
  if (existsSync(arg)) {
    try {
      const raw = JSON.parse(readFileSync(arg, "utf8")) as unknown;
      labels = Array.isArray(raw) ? raw : (raw as { labels?: unknown })?.labels;
    } catch (err) {
      throw new InputError(
        arg,
        undefined,
        `cannot read it as JSON (${(err as Error).message})`,
        'write ["a", "b"] or {"labels": ["a", "b"]}',
      );
    }
  }
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === "string" && l.trim()))
    throw new InputError(
      "--labels",
      undefined,
      "needs at least two labels, each a non-empty string",
      'e.g. --labels billing,technical or a file {"labels": [...]}',
    );
  return labels as string[];
}
