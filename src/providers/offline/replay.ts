import { createHash } from "node:crypto";
import { resolve } from "node:path";
import stringify from "safe-stable-stringify";
import type { ModelSpec } from "../../contracts/model-spec.ts";
import { RecordedOutcomeLine } from "../../contracts/recorded-outcome.ts";
import { formatPath, InputError } from "../../core/errors.ts";
import type { ChatRequest, ProviderCallContext, ProviderResult, Usage } from "../../core/types.ts";
import { parseJsonl, readTextFile } from "../../datasets/jsonl.ts";
import type { Provider } from "../provider.ts";
import { MissingOutcomeError, ProviderError, ProviderErrorCode } from "../provider-error.ts";
import { countChatTokens, countTokens } from "../tokens.ts";
import { usageFromRecorded } from "./recorded-usage.ts";

// The `replay` provider answers from recorded outcomes (the JSONL import contract, DESIGN.md
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
  entries: Map<string, Entry>;
  /** Short hash of this model's records: changes whenever any of them changes. */
  hash: string;
}

type Index = Map<string, ModelRecords>;

function entryKey(itemId: string, sample: number): string {
  return `${itemId}\u0000${sample}`;
}

function shortHash(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\n");
  return h.digest("hex").slice(0, 12);
}

/**
 * Builds the index. `where(i)` names record i for errors (a file line, or a preloaded record).
 * `raw(i)` is record i's text for the content hash.
 */
function buildIndex(
  file: string,
  lines: readonly RecordedOutcomeLine[],
  where: (i: number) => string,
  raw: (i: number) => string,
): Index {
  const building = new Map<string, { entries: Map<string, Entry>; firstAt: Map<string, number>; raws: string[] }>();
  lines.forEach((line, i) => {
    let m = building.get(line.model);
    if (!m) {
      m = { entries: new Map(), firstAt: new Map(), raws: [] };
      building.set(line.model, m);
    }
    const sample = line.sample ?? 0;
    const key = entryKey(line.itemId, sample);
    const first = m.firstAt.get(key);
    if (first !== undefined) {
      throw new InputError(
        file,
        where(i),
        `duplicate outcome for model "${line.model}", item "${line.itemId}", sample ${sample} (first at ${where(first)})`,
        'keep one line per (model, itemId, sample); give repeated generations distinct "sample" numbers',
      );
    }
    let usage: Usage | undefined;
    if (line.usage) {
      try {
        usage = usageFromRecorded(line.usage);
      } catch (err) {
        throw new InputError(file, `${where(i)}, field usage`, (err as Error).message, FIX);
      }
    }
    m.firstAt.set(key, i);
    m.entries.set(key, { line, usage });
    m.raws.push(raw(i));
  });
  const index: Index = new Map();
  for (const [model, m] of building) index.set(model, { entries: m.entries, hash: shortHash(m.raws) });
  return index;
}

function loadFile(path: string): Index {
  const text = readTextFile(path, "recorded outcomes");
  const lines = parseJsonl(text, path, RecordedOutcomeLine, FIX);
  // parseJsonl skips blank lines: record i is the i-th non-blank line.
  const lineNumbers: number[] = [];
  const rawLines: string[] = [];
  text.split("\n").forEach((l, i) => {
    if (l.trim()) {
      lineNumbers.push(i + 1);
      rawLines.push(l.trim());
    }
  });
  return buildIndex(
    path,
    lines,
    (i) => `line ${lineNumbers[i]}`,
    (i) => rawLines[i]!,
  );
}

export class ReplayProvider implements Provider {
  readonly specificationVersion = "v1";
  readonly id = "replay";
  readonly offline = true;
  private readonly files = new Map<string, Index>();
  private readonly preloaded = new Map<string, Index>();

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
    this.preloaded.set(
      fileKey,
      buildIndex(
        fileKey,
        parsed,
        (i) => `record ${i + 1}`,
        (i) => stringify(parsed[i]) ?? "",
      ),
    );
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
        index = loadFile(path);
        this.files.set(path, index);
      }
    }
    return index.get(spec.model);
  }

  /** `replay:MODEL@<hash of MODEL's records>`: editing the records changes it, so stale outcomes are not reused. */
  snapshot(spec: ModelSpec): string {
    const records = this.records(spec);
    return `replay:${spec.model}@${records?.hash ?? "empty"}`;
  }

  async complete(spec: ModelSpec, request: ChatRequest, ctx: ProviderCallContext): Promise<ProviderResult> {
    const records = this.records(spec);
    const { itemId, sample } = ctx.identity;
    const entry = records?.entries.get(entryKey(itemId, sample ?? 0));
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

export function createReplayProvider(): ReplayProvider {
  return new ReplayProvider();
}
