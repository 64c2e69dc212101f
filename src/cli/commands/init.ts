import { createInterface } from "node:readline/promises";
import type { CommandModule } from "yargs";
import { parseModelSpec } from "../../contracts/model-spec.ts";
import { InputError } from "../../core/errors.ts";
import { type ScaffoldResult, scaffold } from "../init/scaffold.ts";

interface InitArgs {
  yes: boolean;
  name?: string;
  models?: string;
}

const DEFAULT_NAME = "support";
const DEFAULT_MODELS = "sim:cheap,sim:mid,sim:flagship";
const NAME = /^[a-z0-9][a-z0-9._-]*$/i;

export function initCommand(): CommandModule<object, InitArgs> {
  return {
    command: "init",
    describe: "Start evals in this repository: a starter eval, router, golden set, CI workflow and scripts",
    builder: (y) =>
      y
        .option("yes", {
          alias: "y",
          type: "boolean",
          default: false,
          describe: "ask nothing: the defaults, or --name and --models",
        })
        .option("name", { type: "string", describe: `the eval's name: evals/<name>.eval.ts (default ${DEFAULT_NAME})` })
        .option("models", {
          type: "string",
          describe: `candidate model specs, cheapest first (default ${DEFAULT_MODELS}: simulated, no keys needed)`,
        }) as never,
    handler: async (args) => {
      const interactive = !args.yes && process.stdin.isTTY === true;
      const answers = interactive ? await ask(args) : args;
      const name = checkName(answers.name ?? DEFAULT_NAME);
      const models = checkModels(answers.models ?? DEFAULT_MODELS);
      const result = scaffold(process.cwd(), { name, models });
      process.stdout.write(summary(result, name, models));
    },
  };
}

async function ask(args: InitArgs): Promise<InitArgs> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const name = args.name ?? ((await rl.question(`Eval name (${DEFAULT_NAME}): `)).trim() || DEFAULT_NAME);
    const models =
      args.models ??
      ((await rl.question(`Candidate models, cheapest first (${DEFAULT_MODELS}): `)).trim() || DEFAULT_MODELS);
    return { ...args, name, models };
  } finally {
    rl.close();
  }
}

function checkName(name: string): string {
  if (!NAME.test(name))
    throw new InputError(
      "command line",
      "--name",
      `"${name}" cannot name an eval`,
      "use letters, digits, '.', '_' or '-'",
    );
  return name;
}

function checkModels(list: string): string[] {
  const models = list
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  for (const spec of models) {
    try {
      parseModelSpec(spec);
    } catch (err) {
      throw new InputError(
        "command line",
        "--models",
        (err as Error).message,
        "write each model as PROVIDER:MODEL, e.g. sim:cheap or openai:gpt-4o-mini",
      );
    }
  }
  if (models.length < 2)
    throw new InputError(
      "command line",
      "--models",
      "routing needs two or more candidate models",
      "list them cheapest first, e.g. sim:cheap,sim:flagship",
    );
  return models;
}

function summary(result: ScaffoldResult, name: string, models: string[]): string {
  const lines = ["routegate init:"];
  for (const path of result.written) lines.push(`  wrote   ${path}`);
  for (const what of result.added) lines.push(`  added   ${what}`);
  for (const path of result.skipped) lines.push(`  skipped ${path} (already there; left as it is)`);
  const simulated = models.some((m) => m.startsWith("sim:"));
  lines.push(
    "",
    "Next:",
    `  npm run eval        evaluates evals/${name}.eval.ts${simulated ? " now, with no keys (sim models: every figure SIMULATED)" : ""}`,
  );
  if (simulated)
    lines.push(
      `  then replace the sim: models in evals/${name}.eval.ts with real ones (e.g. openai:gpt-4o-mini) and set their keys`,
    );
  lines.push(
    `  npx routegate export --eval ${name} --router escalation   writes routing.config.json for production`,
    "  production: npm install @routegate/runtime zod, compile routers/ with your build, then",
    '  createRouter(config, { routers: [escalationRouter({ weak, strong })] }) from "@routegate/runtime"',
    "",
  );
  return lines.join("\n");
}
