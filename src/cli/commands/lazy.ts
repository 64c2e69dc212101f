import type { CommandModule } from "yargs";

// Commands load only when named: `routegate --help` and `routegate compare` never import the eval
// pipeline (providers, SQLite, templates). Each entry repeats its command's name and summary so the
// top-level help lists every command without loading one.

interface LazyCommand {
  command: string;
  describe: string;
  load: (setCode: (code: number) => void) => Promise<CommandModule<object, never>>;
}

const COMMANDS: LazyCommand[] = [
  {
    command: "init",
    describe: "Start evals in this repository: a starter eval, router, golden set, CI workflow and scripts",
    load: async () => (await import("./init.ts")).initCommand() as CommandModule<object, never>,
  },
  {
    command: "eval [evals..]",
    describe: "Run evals (every evals/*.eval.ts by default, or an ad-hoc run with --dataset/--models/--scorer)",
    load: async (setCode) => (await import("./eval.ts")).evalCommand(setCode) as CommandModule<object, never>,
  },
  {
    command: "export",
    describe: "Write the routing config production loads, from an eval's latest run",
    load: async () => (await import("./export.ts")).exportCommand() as CommandModule<object, never>,
  },
  {
    command: "compare <runA> <runB>",
    describe: "Print a Markdown diff of two runs (B against A): per-policy quality, cost and strong-share deltas",
    load: async () => (await import("./compare.ts")).compareCommand() as CommandModule<object, never>,
  },
  {
    command: "plan",
    describe:
      "Project each policy's monthly bill onto a traffic profile under prompt caching, batch, fine-tuning and self-hosting",
    load: async () => (await import("./plan.ts")).planCommand() as CommandModule<object, never>,
  },
  {
    command: "distill",
    describe:
      "Write a fine-tuning file from the teacher's stored answers that pass the eval's scorer (train split only)",
    load: async () => (await import("./distill.ts")).distillCommand() as CommandModule<object, never>,
  },
  {
    command: "finetune <action>",
    describe: "Fine-tune on a distilled file (OpenAI): submit a job, follow it, register the model as a candidate",
    load: async () => (await import("./finetune.ts")).finetuneCommand() as CommandModule<object, never>,
  },
  {
    command: "store <command>",
    describe: "Upkeep of the outcome store",
    load: async () => (await import("./store.ts")).storeCommand() as CommandModule<object, never>,
  },
  {
    command: "serve",
    describe: "Serve routing configs behind an OpenAI-compatible endpoint (POST /v1/chat/completions)",
    load: async () => (await import("./serve.ts")).serveCommand() as CommandModule<object, never>,
  },
  {
    command: "traffic <action>",
    describe: "Turn live traffic (routegate serve decision logs) into dataset lines to label",
    load: async () => (await import("./traffic.ts")).trafficCommand() as CommandModule<object, never>,
  },
  {
    command: "drift",
    describe: "Compare live traffic with an eval's golden set; exit 1 when the golden set no longer represents it",
    load: async (setCode) => (await import("./drift.ts")).driftCommand(setCode) as CommandModule<object, never>,
  },
];

const nameOf = (command: string) => command.split(" ")[0]!;

/** Whether `name` is one of routegate's commands. */
export function isCommandName(name: string): boolean {
  return COMMANDS.some((c) => nameOf(c.command) === name);
}

/** The command `argv` names, loaded; every other command as its name and summary only. */
export async function commandsFor(argv: readonly string[], setCode: (code: number) => void): Promise<CommandModule[]> {
  const named = argv.find((a) => !a.startsWith("-"));
  return Promise.all(
    COMMANDS.map(async (c) =>
      nameOf(c.command) === named
        ? ((await c.load(setCode)) as CommandModule)
        : { command: c.command, describe: c.describe, handler: () => {} },
    ),
  );
}
