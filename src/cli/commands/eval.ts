import type { CommandModule } from "yargs";
import { DEFAULT_BATCH_POLL_MS } from "../../collect/batch-collector.ts";
import { DEFAULT_TIMEOUT_MS } from "../../collect/call-guard.ts";
import { DEFAULT_MAX_ERROR_SHARE } from "../../collect/error-share.ts";
import { createProgress } from "../../collect/progress.ts";
import { type ProviderLimits, parseLimitFlag } from "../../collect/provider-limits.ts";
import { DEFAULT_RETRY } from "../../collect/retry.ts";
import { loadEvalFile, type ResolvedEval, resolveEval } from "../../config/load-eval.ts";
import { InputError } from "../../core/errors.ts";
import { DatasetIndex } from "../../datasets/dataset-index.ts";
import { runSession, type SessionEval } from "../../evaluate/session/run-session.ts";
import { checkoutBase, withBaseGateInputs } from "../../gate/base-branch.ts";
import { gateCodeFor } from "../../gate/gate-code.ts";
import { defaultPriceBook } from "../../pricing/price-book.ts";
import { parsePriceFlags, withPriceOverrides } from "../../pricing/price-flag.ts";
import { createProviderRegistry } from "../../providers/registry.ts";
import { cliReporters } from "../../reporters/cli-reporters.ts";
import { FAMILY_NAMES } from "../../routing/families/families.ts";
import { DEFAULT_STORE_PATH, type OutcomeStore } from "../../store/outcome-store.ts";
import { adhocEvalConfig } from "../adhoc-eval.ts";
import { discoverEvalFiles } from "../discover.ts";
import { datasetIndexPath, openStore, replayImportsPath } from "../file-paths.ts";

interface EvalArgs {
  gateBase?: string;
  allowMissingIncumbent: boolean;
  evals: string[];
  dataset?: string;
  models?: string;
  scorer?: string;
  labels?: string;
  scorerOption?: string[];
  judge?: string;
  judgeMode?: "pairwise" | "rubric" | "reference";
  weak?: string;
  strong?: string;
  routers?: string;
  nonInferiorTo?: string;
  margin?: number;
  embedder?: string;
  json: boolean;
  offline: boolean;
  store: string;
  reports: string;
  concurrency: number;
  quiet: boolean;
  maxCost?: number;
  maxErrorShare: number;
  timeoutMs: number;
  maxAttempts: number;
  rpm?: string;
  tpm?: string;
  providerConcurrency?: string;
  batch: boolean;
  batchPollMs: number;
  retryFailed: boolean;
  price?: string[];
}

export function evalCommand(setCode: (code: number) => void): CommandModule<object, EvalArgs> {
  return {
    command: "eval [evals..]",
    describe: "Run evals (every evals/*.eval.ts by default, or an ad-hoc run with --dataset/--models/--scorer)",
    builder: (y) =>
      y
        .positional("evals", {
          type: "string",
          array: true,
          default: [],
          describe: "eval names (evals/<name>.eval.ts) or files",
        })
        .option("dataset", {
          type: "string",
          describe: "ad-hoc run: dataset JSONL ({id, input, expected?, metadata?} per line)",
        })
        .option("models", {
          type: "string",
          describe: "ad-hoc run: comma-separated model specs, e.g. sim:cheap,sim:flagship or replay:MODEL@FILE.jsonl",
        })
        .option("scorer", {
          type: "string",
          describe: "ad-hoc run: scorer name (exact, normalized, label, numeric, regex, json, contains, choice)",
        })
        .option("labels", {
          type: "string",
          describe:
            "ad-hoc run, --scorer label: the labels, comma-separated (default: the dataset's distinct expected values, said on stderr)",
        })
        .option("scorer-option", {
          type: "string",
          array: true,
          describe:
            "ad-hoc run: an option of the --scorer, KEY=VALUE (JSON values read as such), repeatable, e.g. routellmCompat=true, tolerance=0.01",
        })
        .option("judge", {
          type: "string",
          describe:
            "ad-hoc run: score answers with an LLM judge (model spec, or a comma-separated panel), e.g. openai:gpt-4o; --scorer then becomes the exact check it is compared with",
        })
        .option("judge-mode", {
          type: "string",
          choices: ["pairwise", "rubric", "reference"] as const,
          describe:
            "with --judge: pairwise (vs the item's expected answer, both orders), rubric (single answer, 1-10; default) or reference (single answer with expected shown)",
        })
        .option("weak", { type: "string", describe: "ad-hoc run: the weak model spec (enables two-tier figures)" })
        .option("strong", { type: "string", describe: "ad-hoc run: the strong model spec" })
        .option("routers", {
          type: "string",
          describe: `ad-hoc run: built-in router families, comma-separated (${FAMILY_NAMES.join(", ")}), or none; default all`,
        })
        .option("non-inferior-to", {
          type: "string",
          describe:
            'ad-hoc run: choose each operating point, and the recommended policy, as the cheapest non-inferior to this model on calibration items ("best": the best single model there)',
        })
        .option("margin", {
          type: "number",
          describe: "with --non-inferior-to: the non-inferiority margin, absolute (default 0.01, one point)",
        })
        .option("embedder", {
          type: "string",
          describe:
            "ad-hoc run: the kNN family's embedding model (default local:hashed-tfidf; e.g. openai:text-embedding-3-small)",
        })
        .option("json", { type: "boolean", default: false, describe: "print the run's summary.json to stdout" })
        .option("offline", {
          type: "boolean",
          default: false,
          describe: "never call a networked provider; missing outcomes fail the run (exit 3)",
        })
        .option("batch", {
          type: "boolean",
          default: false,
          describe:
            "collect missing answers of openai, anthropic and google models through their batch APIs (50% off; one batch per model; resumed after a restart)",
        })
        .option("batch-poll-ms", {
          type: "number",
          default: DEFAULT_BATCH_POLL_MS,
          describe: "with --batch: how often a submitted batch is polled, in ms",
        })
        .option("retry-failed", {
          type: "boolean",
          default: false,
          describe:
            "collect every failed outcome in the store again (without it: rate limits, 5xx, timeouts and dropped connections are retried by every run, a malformed reply once by the next run, other failures are kept)",
        })
        .option("price", {
          type: "string",
          array: true,
          describe:
            "MODEL=INPUT,OUTPUT[,CACHED_INPUT]: USD per 1M tokens for a model the price table lacks (a replay model) or to override its row; repeatable; recorded in summary.json priceTable.overrides",
        })
        .option("store", { type: "string", default: DEFAULT_STORE_PATH, describe: "outcome store (SQLite) path" })
        .option("reports", { type: "string", default: "reports", describe: "folder for reports/<eval>/<run-id>/" })
        .option("concurrency", {
          type: "number",
          default: 16,
          describe: "provider calls in flight at once, over all providers",
        })
        .option("quiet", {
          type: "boolean",
          default: false,
          describe: "no progress lines (the result table, the verdict and the report paths are still printed)",
        })
        .option("gate-base", {
          type: "string",
          describe:
            "read the gate's inputs (golden items, prompts, scorer and judge, thresholds, the incumbent production config) from this git ref, e.g. origin/main; changes to them are flagged for their own review",
        })
        .option("allow-missing-incumbent", {
          type: "boolean",
          default: false,
          // Its first name, kept for existing CI scripts.
          alias: "allow-missing-baseline",
          describe:
            "let a declared gate pass without an incumbent, the committed production config (the first pull request of a new eval); without it a missing, renamed or foreign routing.config.json fails the gate (exit 1)",
        })
        .option("max-cost", {
          type: "number",
          describe:
            "spending cap in USD for this command's provider calls (all its evals): each call reserves its worst case (1.5x the estimated input + max tokens) before it starts; the run stops with exit 3 before it could pass the cap, and at once if a reply cost more than its reservation",
        })
        .option("max-error-share", {
          type: "number",
          default: DEFAULT_MAX_ERROR_SHARE,
          describe: "fail the run (exit 3, after its report) when more than this share of its outcomes are errors",
        })
        .option("timeout-ms", {
          type: "number",
          default: DEFAULT_TIMEOUT_MS,
          describe:
            "per-attempt timeout in ms (0: none), from when the request is sent; a timed-out attempt is retried and counts at its worst case",
        })
        .option("max-attempts", {
          type: "number",
          default: DEFAULT_RETRY.maxAttempts,
          describe: "attempts per call, the first included (retries: 429, 5xx, timeouts, with backoff and retry-after)",
        })
        .option("rpm", {
          type: "string",
          describe: "requests per minute per provider: N for each provider, or PROVIDER=N,PROVIDER=N",
        })
        .option("tpm", {
          type: "string",
          describe: "tokens per minute per provider (estimated input + max tokens): N, or PROVIDER=N,PROVIDER=N",
        })
        .option("provider-concurrency", {
          type: "string",
          describe: "calls in flight per provider (within --concurrency): N, or PROVIDER=N,PROVIDER=N",
        })
        .check((a) => {
          const adhoc = [a.dataset, a.models, a.scorer ?? a.judge].filter((v) => v !== undefined).length;
          // InputError, not Error: bad flags exit 2 with the fix named.
          if (a.judgeMode !== undefined && a.judge === undefined)
            throw new InputError("command line", "--judge-mode", "--judge-mode needs --judge", "add --judge SPEC");
          if (a.judge !== undefined && adhoc < 3)
            throw new InputError(
              "command line",
              "--judge",
              "--judge is for ad-hoc runs with --dataset and --models",
              'eval files set scorer: { type: "judge-pairwise", judge: "..." }',
            );
          if (adhoc > 0 && adhoc < 3)
            throw new Error("an ad-hoc run needs all of --dataset, --models and --scorer (or --judge)");
          if (adhoc === 3 && a.evals.length > 0)
            throw new Error("give either eval names or --dataset/--models/--scorer, not both");
          if (!Number.isInteger(a.concurrency) || a.concurrency < 1)
            throw new Error("--concurrency must be a positive integer");
          const maxCost = a["max-cost"];
          if (maxCost !== undefined && !(maxCost > 0)) throw new Error("--max-cost must be a positive amount in USD");
          const share = a["max-error-share"];
          if (!(share >= 0 && share <= 1)) throw new Error("--max-error-share must be a share between 0 and 1");
          if (!(a["batch-poll-ms"] > 0)) throw new Error("--batch-poll-ms must be a positive number of ms");
          // Batch calls do not pass the call guard, so a cap could not be enforced before spending.
          if (a.batch && maxCost !== undefined) throw new Error("--batch cannot be combined with --max-cost yet");
          if (!(a["timeout-ms"] >= 0)) throw new Error("--timeout-ms must be 0 (none) or a positive number of ms");
          if (!Number.isInteger(a["max-attempts"]) || a["max-attempts"] < 1)
            throw new Error("--max-attempts must be a positive integer");
          parsePriceFlags(a.price ?? []);
          return true;
        }) as never,
    handler: async (args) => {
      const files = args.dataset ? [] : discoverEvalFiles(process.cwd(), args.evals);
      const configs: ResolvedEval[] =
        args.dataset && args.models && (args.scorer || args.judge)
          ? [
              resolveEval(
                adhocEvalConfig(
                  {
                    dataset: args.dataset,
                    models: args.models,
                    scorer: args.scorer,
                    labels: args.labels,
                    scorerOptions: args.scorerOption,
                    judge: args.judge,
                    judgeMode: args.judgeMode,
                    weak: args.weak,
                    strong: args.strong,
                    routers: args.routers,
                    nonInferiorTo: args.nonInferiorTo,
                    margin: args.margin,
                    embedder: args.embedder,
                  },
                  (line) => process.stderr.write(`${line}\n`),
                ),
                "command line",
                process.cwd(),
              ),
            ]
          : await Promise.all(files.map(loadEvalFile));
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
      const limits = limitsFromFlags(args);
      // The gate's inputs come from the base branch, so a pull request cannot certify itself.
      const base = args.gateBase ? checkoutBase(args.gateBase, process.cwd()) : null;
      let store: OutcomeStore | undefined;
      // Beside the store, as the replay imports are: a repeat run does not check an unchanged dataset again.
      const datasetIndex = args.store !== ":memory:" ? new DatasetIndex(datasetIndexPath(args.store)) : undefined;
      try {
        // ...and so is the code that computes the verdict (a change to it could pass itself).
        const gate = base ? await gateCodeFor(base) : null;
        const evals: SessionEval[] = [];
        for (const [k, loaded] of configs.entries()) {
          const { config, changed } =
            base && files[k] ? await withBaseGateInputs(loaded, files[k], base) : { config: loaded, changed: [] };
          evals.push({
            config,
            ...(base && gate ? { gateReview: { base: base.ref, changed: [...changed, ...gate.changed] } } : {}),
          });
        }
        const { exitCode } = await runSession(evals, {
          // Opened once every eval's inputs are checked: a run refused for bad input (exit 2) leaves no store behind.
          store: () => {
            store = openStore(args.store);
            return store;
          },
          ...(datasetIndex ? { datasetIndex } : {}),
          // One --timeout-ms: the collector's deadline and the hosted adapters' backstop agree.
          registry: createProviderRegistry([], {
            hosted: { timeoutMs: args.timeoutMs },
            // Replay files are imported once beside the store, so a repeat run does not parse them again.
            ...(args.store !== ":memory:" ? { replay: { importsPath: replayImportsPath(args.store) } } : {}),
          }),
          prices: withPriceOverrides(defaultPriceBook(), parsePriceFlags(args.price ?? [])),
          reportsDir: args.reports,
          reporters: cliReporters({
            json: args.json,
            log,
            stdout: (text) => process.stdout.write(text),
          }),
          maxErrorShare: args.maxErrorShare,
          maxCostUsd: args.maxCost ?? null,
          log,
          offline: args.offline,
          batch: args.batch,
          batchPollMs: args.batchPollMs,
          concurrency: args.concurrency,
          timeoutMs: args.timeoutMs,
          retryFailed: args.retryFailed,
          retry: { maxAttempts: args.maxAttempts },
          limits,
          ...(gate ? { gateCode: gate.code } : {}),
          allowMissingIncumbent: args.allowMissingIncumbent,
          progress: (label) => createProgress(label, { tty, quiet: args.quiet || (args.json && !tty), log }),
        });
        setCode(exitCode);
      } finally {
        store?.close();
        datasetIndex?.close();
        base?.close();
      }
    },
  };
}

/** --rpm, --tpm and --provider-concurrency as limits by provider id. */
function limitsFromFlags(args: EvalArgs): Record<string, ProviderLimits> {
  const limits: Record<string, ProviderLimits> = {};
  if (args.rpm !== undefined) parseLimitFlag("rpm", args.rpm, "rpm", limits);
  if (args.tpm !== undefined) parseLimitFlag("tpm", args.tpm, "tpm", limits);
  if (args.providerConcurrency !== undefined)
    parseLimitFlag("provider-concurrency", args.providerConcurrency, "concurrency", limits);
  return limits;
}
