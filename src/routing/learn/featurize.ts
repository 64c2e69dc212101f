import type { CallResult, ChatRequest, Item } from "../../core/types.ts";
import { inputText } from "../builtin/length.ts";
import type { CodeVerifier } from "../confidence/types.ts";
import type { FeatureRow, RowPacker } from "./feature-row.ts";
import { addHashedNgrams } from "./hashing.ts";
import { RESPONSE_FEATURES, responseFeatures } from "./response-features.ts";
import { TEXT_FEATURES, textFeatures } from "./text-features.ts";

/**
 * Column layout of a learned router's features: [0, 2^bits) hashed n-grams of the input (and of
 * the cheap answer, in its own namespace), then the dense text features, then, with a cheap
 * answer, its dense response features. The weight vector adds one entry: the bias.
 */
export interface FeatureLayout {
  bits: number;
  response: boolean;
  verifiers: number;
}

export function featureCount(layout: FeatureLayout): number {
  return 2 ** layout.bits + TEXT_FEATURES.length + (layout.response ? RESPONSE_FEATURES.length + layout.verifiers : 0);
}

/** An item's features (and its cheap answer's), packed by `packer` (a compact row, not plain arrays). */
export function featurize(
  layout: FeatureLayout,
  packer: RowPacker,
  item: Item,
  answer?: { request: ChatRequest; result: CallResult; verifiers: readonly CodeVerifier[] },
): FeatureRow {
  const columns = new Map<number, number>();
  const text = inputText(item);
  addHashedNgrams(columns, text, "input", layout.bits);
  // Character n-grams of long answers add many columns and little signal beyond their words.
  if (answer && !answer.result.error)
    addHashedNgrams(columns, answer.result.text, "answer", layout.bits, { chars: false });
  let at = 2 ** layout.bits;
  for (const v of textFeatures(text)) {
    if (v !== 0) columns.set(at, v);
    at++;
  }
  if (layout.response && answer) {
    for (const v of responseFeatures(item, answer.request, answer.result, answer.verifiers)) {
      if (v !== 0) columns.set(at, v);
      at++;
    }
  }
  const index = Int32Array.from(columns.keys()).sort();
  return packer.pack(
    index,
    Float64Array.from(index, (j) => columns.get(j)!),
  );
}
