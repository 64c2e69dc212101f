import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import { loadDataset } from "../datasets/load-dataset.ts";
import { createScorer, judgeTypes, scorerTypes } from "./index.ts";
import { referenceOf } from "./judge/question-and-reference.ts";

describe("bad input about scorers and expected values names where to fix it", () => {
  it("a missing expected value names the dataset file and its line", () => {
    const file = join(mkdtempSync(join(tmpdir(), "rg-expected-")), "items.jsonl");
    writeFileSync(file, '{"id":"a","input":"x","expected":"y"}\n\n{"id":"b","input":"z"}\n');
    const [, item] = loadDataset(file).items;
    const exact = createScorer("exact");
    const err = (() => {
      try {
        exact("z", item!);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toContain(file);
    expect(err!.message).toContain('line 3 (item "b"), field expected');
    expect(() => referenceOf(item!, "judge-pairwise")).toThrow(/items\.jsonl \(line 3 \(item "b"\), field expected\)/);
  });

  it("an unknown scorer lists every valid one", () => {
    for (const config of ["exactt", { type: "judge-pairwse" }]) {
      expect(() => createScorer(config as never, { file: "my.eval.ts" })).toThrow(InputError);
      try {
        createScorer(config as never, { file: "my.eval.ts" });
      } catch (e) {
        const message = (e as Error).message;
        expect(message).toContain("my.eval.ts");
        for (const type of [...scorerTypes, ...judgeTypes]) expect(message).toContain(type);
      }
    }
  });
});
