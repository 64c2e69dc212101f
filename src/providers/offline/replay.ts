import { createHash } from "node:crypto";
import { resolve } from "node:path";
import stringify from "safe-stable-stringify";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import { isPlainRecordedOutcomeLine, RecordedOutcomeLine } from "../../contracts/recorded-outcome.ts";
import { formatPath, InputError } from "../../core/errors.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult, RequestIdentity, Usage } from "../../core/types.ts";
import { parseJsonLine } from "../../datasets/jsonl.ts";
import { forEachLine } from "../../datasets/line-reader.ts";
import type { Provider } from "../provider.ts";
import { MissingOutcomeError, ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { countChatTokens, countTokens } from "../tokens.ts";
import { usageFromRecorded } from "./recorded-usage.ts";
import { ReplayImports } from "./replay-imports.ts";

// The `replay` provider answers from recorded outcomes (the JSONL import contract, docs/architecture.md
// "Contracts"): one line per (item, model[, sample]). `replay:MODEL@FILE` reads the lines whose
// "model" is MODEL. Files load once, lazily, and are cached per absolute path.

const FIX =
  'each line is {"itemId", "model", "output", "usage"?, "latencyMs"?, "costUsd"?, "error"?, "logprobs"?, "sample"?}';

interface Entry {
  line: RecordedOutcomeLine;
  /** Usage from the record; undefined when the record has none (estimated per request). */
  usage: Usage | undefined;
}

interface ModelRecords {
  get(key: string): Entry | undefined;
  /** Reads these keys' records in one go, for the `get`s that follow (records imported on disk). */
  readAhead?(keys: readonly string[]): void;
  /** Short hash of this model's records: changes whenever any of them changes. */
  hash: string;
}

type Index = Map<string, ModelRecords>;

function entryKey(itemId: string, sample: number): string {
  return `${itemId}\u0000${sample}`;
}

/** Adds records one at a time, checking duplicates and hashing each model's records as they come. */
class IndexBuilder {
  private readonly building = new Map<
    string,
    { entries: Map<string, Entry>; firstAt: Map<string, string>; hash: ReturnType<typeof createHash> }
  >();

  constructor(private readonly file: string) {}

  /** `where` names the record for errors (a file line, a preloaded record); `raw` is its text for the hash. */
  add(line: RecordedOutcomeLine, where: string, raw: string): void {
    let m = this.building.get(line.model);
    if (!m) {
      m = { entries: new Map(), firstAt: new Map(), hash: createHash("sha256") };
      this.building.set(line.model, m);
    }
    const sample = line.sample ?? 0;
    const key = entryKey(line.itemId, sample);
    const first = m.firstAt.get(key);
    if (first !== undefined) {
      throw new InputError(
        this.file,
        where,
        `duplicate outcome for model "${line.model}", item "${line.itemId}", sample ${sample} (first at ${first})`,
        'keep one line per (model, itemId, sample); give repeated generations distinct "sample" numbers',
      );
    }
    const usage = usageOf(this.file, line, where);
    m.firstAt.set(key, where);
    m.entries.set(key, { line, usage });
    m.hash.update(raw).update("\n");
  }

  done(): Index {
    const index: Index = new Map();
    for (const [model, m] of this.building) {
      const { entries } = m;
      index.set(model, { get: (key) => entries.get(key), hash: m.hash.digest("hex").slice(0, 12) });
    }
    return index;
  }
}

function usageOf(file: string, line: RecordedOutcomeLine, where: string): Usage | undefined {
  if (!line.usage) return undefined;
  try {
    return usageFromRecorded(line.usage);
  } catch (err) {
    throw new InputError(file, `${where}, field usage`, (err as Error).message, FIX);
  }
}

/** A file checked and indexed (replay-imports.ts): records are read from the file when asked for. */
function importedIndex(imports: ReplayImports, path: string): Index {
  const file = imports.open(
    path,
    (line) => entryKey(line.itemId, line.sample ?? 0),
    (line, where) => void usageOf(path, line, where),
    FIX,
  );
  const index: Index = new Map();
  for (const [model, hash] of Object.entries(file.modelHashes)) {
    // The records of the window read ahead, each used once: the next readAhead replaces them.
    let ahead = new Map<string, RecordedOutcomeLine>();
    index.set(model, {
      hash,
      readAhead(keys) {
        ahead = file.records(model, keys);
      },
      get(key) {
        let line = ahead.get(key);
        if (line !== undefined) ahead.delete(key);
        else line = file.record(model, key);
        if (line === undefined) return undefined;
        return { line, usage: line.usage ? usageFromRecorded(line.usage) : undefined };
      },
    });
  }
  return index;
}

/** Streams the file line by line: neither the text nor its lines are ever held whole. */
function loadFile(path: string): Index {
  const builder = new IndexBuilder(path);
  forEachLine(path, "recorded outcomes", (text, lineNo) => {
    builder.add(
      parseJsonLine(text, path, lineNo, RecordedOutcomeLine, FIX, isPlainRecordedOutcomeLine),
      `line ${lineNo}`,
      text,
    );
  });
  return builder.done();
}

export class ReplayProvider implements Provider {
  readonly specificationVersion = "v1";
  readonly id = "replay";
  readonly offline = true;
  private readonly files = new Map<string, Index>();
  private readonly preloaded = new Map<string, Index>();
  private imports: ReplayImports | undefined;

  /**
   * @param opts.importsPath where files are imported once (SQLite), keyed by their bytes; absent:
   * files are read into memory per process (tests, short-lived programmatic runs).
   */
  constructor(private readonly opts: { importsPath?: string } = {}) {}

  /**
   * Registers in-memory records (importers) under `fileKey`; a replay spec whose `file` equals
   * `fileKey` reads them instead of a file. Records are validated like file lines.
   */
  preload(fileKey: string, lines: readonly unknown[]): void {
    const parsed = lines.map((l, i) => {
      const r = RecordedOutcomeLine.safeParse(l);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        throw new InputError(fileKey, `record ${i + 1}, field ${formatPath(issue.path)}`, issue.message, FIX);
      }
      return r.data;
    });
    const builder = new IndexBuilder(fileKey);
    for (const [i, line] of parsed.entries()) builder.add(line, `record ${i + 1}`, stringify(line) ?? "");
    this.preloaded.set(fileKey, builder.done());
  }

  /** Drops cached file contents (a file changed on disk during a long-lived process). */
  clearCache(): void {
    this.files.clear();
  }

  private records(spec: ModelSpec): ModelRecords | undefined {
    if (!spec.file) {
      throw new InputError(
        "models",
        `${spec.id}.file`,
        "a replay model needs the recorded-outcomes file",
        "write it replay:MODEL@FILE.jsonl or set `file` in the model spec",
      );
    }
    let index = this.preloaded.get(spec.file);
    if (!index) {
      const path = resolve(spec.file);
      index = this.files.get(path);
      if (!index) {
        if (this.opts.importsPath) this.imports ??= new ReplayImports(this.opts.importsPath);
        index = this.imports ? importedIndex(this.imports, path) : loadFile(path);
        this.files.set(path, index);
      }
    }
    return index.get(spec.model);
  }

  /** Reads a window's records from the import in a few statements instead of one per call. */
  readAhead(spec: ModelSpec, identities: readonly RequestIdentity[]): void {
    const records = this.records(spec);
    records?.readAhead?.(identities.map((id) => entryKey(id.itemId, id.sample ?? 0)));
  }

  /** `replay:MODEL@<hash of MODEL's records>`: editing the records changes it, so stale outcomes are not reused. */
  snapshot(spec: ModelSpec): string {
    const records = this.records(spec);
    return `replay:${spec.model}@${records?.hash ?? "empty"}`;
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    const records = this.records(spec);
    const { itemId, sample } = ctx.identity;
    const entry = records?.get(entryKey(itemId, sample ?? 0));
    if (!entry) throw new MissingOutcomeError(spec.id, itemId);
    const { line } = entry;
    if (line.error !== undefined) {
      throw new ProviderError(
        `recorded error for item "${itemId}" of model "${spec.id}": ${line.error}`,
        ProviderErrorCode.RecordedError,
        false,
      );
    }
    const result: ProviderResult = {
      text: line.output,
      usage: entry.usage ?? estimateUsage(request, line.output),
      latencyMs: line.latencyMs ?? 0,
      snapshot: `replay:${spec.model}@${records!.hash}`,
    };
    if (line.usage) result.rawUsage = { format: "recorded", usage: line.usage };
    if (!entry.usage) {
      result.usageEstimated = true;
      if (line.costUsd !== undefined) result.recordedCostUsd = line.costUsd;
    }
    if (line.logprobs) result.logprobs = { ...line.logprobs };
    return result;
  }
}

/** Usage estimated with the tokenizer: the request's messages in, the recorded output out. */
function estimateUsage(request: ChatRequest, output: string): Usage {
  return {
    input: { noCache: countChatTokens(request.messages), cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
    output: { text: countTokens(output), reasoning: 0 },
  };
}

export function createReplayProvider(opts: { importsPath?: string } = {}): ReplayProvider {
  return new ReplayProvider(opts);
}
