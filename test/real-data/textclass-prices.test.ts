import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pinnedPricing, TEXTCLASS_PRICES } from "../../bench/textclass-prices.ts";
import { importTextClass } from "../../devkit/importers/textclass.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";

// The routing bench prices every TextClass model from its own pinned table, fixed before any
// figure was measured: each row must equal the shipped price-table row it names, and every model
// of the four tasks must have one (a missing price would otherwise be a free model).
const DATA = fileURLToPath(new URL("../../../shared/data/textclass", import.meta.url));
const TASKS = ["toxicity_en", "policy_topic_en", "sust_finance_en", "technology_en"];

describe("TextClass pinned prices", () => {
  it("equal the shipped price table's rows, cached input included", () => {
    const book = defaultPriceBook();
    for (const [model, pinned] of Object.entries(TEXTCLASS_PRICES)) {
      const row = book.rowFor(pinned.row);
      expect(row, `${model}: no shipped row ${pinned.row}`).toBeDefined();
      expect({ model, input: pinned.input, output: pinned.output, cachedInput: pinned.cachedInput }).toEqual({
        model,
        input: row!.input,
        output: row!.output,
        cachedInput: row!.cachedInput,
      });
    }
  });

  it("cover every model of the four tasks, locally served ones at a hosted price", () => {
    for (const task of TASKS) {
      for (const m of importTextClass(DATA, task).models) {
        const price = pinnedPricing(m.model);
        expect(price.input, `${task} ${m.model}`).toBeGreaterThan(0);
      }
    }
    for (const [model, pinned] of Object.entries(TEXTCLASS_PRICES))
      if (model.endsWith("@ollama")) expect(pinned.row, model).toMatch(/@fireworks$/);
  });
});
