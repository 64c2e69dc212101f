import type { ModelSpec } from "../../src/contracts/model-spec.ts";
import type { RecordedOutcomeLine } from "../../src/contracts/recorded-outcome.ts";
import type { ChatRequest, Item } from "../../src/core/types.ts";
import type { LoadedDataset } from "../../src/datasets/load-dataset.ts";

/**
 * A public benchmark's recorded outcomes, converted to routegate's contracts: a dataset, recorded
 * outcome lines (preloaded into the replay provider under `fileKey`), replay model specs, and the
 * prompt the records were produced with (for input-token estimates).
 */
export interface ImportedBenchmark {
  dataset: LoadedDataset;
  records: RecordedOutcomeLine[];
  fileKey: string;
  models: ModelSpec[];
  render: (item: Item) => ChatRequest;
  /** Attribution that every report showing these numbers must carry (the data's licence). */
  attribution: string;
}

export function replaySpec(model: string, fileKey: string, extra: Partial<ModelSpec> = {}): ModelSpec {
  return { id: `replay:${model}`, provider: "replay", model, file: fileKey, ...extra };
}
