import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseModelSpec } from "../../contracts/model-spec.ts";
import type { ChatRequest, ProviderCallContext } from "../../core/types.ts";
import { createReplayProvider } from "./replay.ts";
import { candidates, keyHash, PlacesBuilder } from "./replay-index.ts";

// Issue 13, item 2: replay files are checked once and indexed in SQLite (where each record lies),
// keyed by their bytes (size, mtime, sha256), and answered from the file; a repeat run neither
// parses nor keeps the file in memory.

const dir = mkdtempSync(join(tmpdir(), "rg-replay-imports-"));
const request: ChatRequest = { messages: [{ role: "user", content: "2 + 2?" }], maxTokens: 20 };
const ctx = (itemId: string): ProviderCallContext => ({ identity: { itemId, role: "answer", sample: 0, parents: [] } });
const line = (itemId: string, model: string, output: string) =>
  JSON.stringify({ itemId, model, output, usage: { inputTokens: 10, outputTokens: 2 }, latencyMs: 5 });

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("replay imports", () => {
  it("answers as the in-memory replay does, with the same snapshots", async () => {
    const path = write("same.jsonl", [line("q1", "a", "4"), line("q1", "b", "5"), line("q2", "a", "6")]);
    const spec = parseModelSpec(`replay:a@${path}`);
    const memory = createReplayProvider();
    const imported = createReplayProvider({ importsPath: join(dir, "same.sqlite") });
    expect(imported.snapshot(spec)).toBe(memory.snapshot(spec));
    for (const id of ["q1", "q2"]) {
      expect(await imported.complete(spec, request, ctx(id))).toEqual(await memory.complete(spec, request, ctx(id)));
    }
    await expect(imported.complete(spec, request, ctx("q9"))).rejects.toThrow(/q9/);
  });

  it("answers the same after a window's read-ahead (one batched read) as without it, misses and samples included", async () => {
    const sampled = (itemId: string, sample: number, output: string) =>
      JSON.stringify({ itemId, model: "a", output, sample, usage: { inputTokens: 10, outputTokens: 2 }, latencyMs: 5 });
    const lines = [
      ...Array.from({ length: 1200 }, (_, i) => line(`q${i}`, "a", `answer ${i}`)),
      line("q1", "b", "other model"),
      sampled("q1", 1, "second sample"),
    ];
    const path = write("ahead.jsonl", lines);
    const spec = parseModelSpec(`replay:a@${path}`);
    const identity = (itemId: string, sample = 0) => ({ itemId, role: "answer" as const, sample, parents: [] });
    // Past one IN-chunk (500 keys), with keys that have no record and a sample other than 0.
    const wanted = [
      ...Array.from({ length: 1100 }, (_, i) => identity(`q${i}`)),
      identity("nowhere"),
      identity("q1", 1),
      identity("q1", 7),
    ];
    const plain = createReplayProvider({ importsPath: join(dir, "ahead-plain.sqlite") });
    const ahead = createReplayProvider({ importsPath: join(dir, "ahead.sqlite") });
    ahead.readAhead(spec, wanted);
    const answer = (p: typeof plain, id: (typeof wanted)[number]) =>
      p.complete(spec, request, { identity: id }).then(
        (r) => ({ ok: r }),
        (err: Error) => ({ failed: err.message }),
      );
    let answered = 0;
    // Read ahead and asked for (a window), and asked for without a read-ahead (past the window).
    for (const id of [...wanted, identity("q1150"), identity("q1"), identity("q2")]) {
      const got = await answer(ahead, id);
      expect(got).toEqual(await answer(plain, id));
      if ("ok" in got) answered++;
    }
    expect(answered).toBe(1100 + 1 + 3);
    expect(await answer(ahead, identity("nowhere"))).toEqual({ failed: expect.stringMatching(/nowhere/) });
  });

  it("keeps where records lie, not their text: the index is a small part of the file's size", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => line(`q${i}`, "a", `answer ${i} `.repeat(20)));
    const path = write("big.jsonl", lines);
    const imports = join(dir, "big.sqlite");
    const spec = parseModelSpec(`replay:a@${path}`);
    const provider = createReplayProvider({ importsPath: imports });
    provider.snapshot(spec);
    const size = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    // About 24 bytes a record (a 1M-line file's import held its text: 944 MB of write-ahead log).
    expect(size(imports) + size(`${imports}-wal`)).toBeLessThan(statSync(path).size / 4);
    expect((await provider.complete(spec, request, ctx("q1999"))).text).toBe("answer 1999 ".repeat(20));
  });

  it("a file with the size and mtime of its import is not read again; changed bytes are imported anew", async () => {
    const path = write("keyed.jsonl", [line("q1", "a", "4"), line("q1", "b", "5")]);
    // Whole seconds: a timestamp set again below must equal the one imported, to the sub-millisecond.
    const mtime = 1_700_000_000;
    utimesSync(path, mtime, mtime);
    const imports = join(dir, "keyed.sqlite");
    const [a, b] = [parseModelSpec(`replay:a@${path}`), parseModelSpec(`replay:b@${path}`)];
    const first = createReplayProvider({ importsPath: imports });
    const snapA = first.snapshot(a);
    const snapB = first.snapshot(b);
    // Same size and mtime, other bytes: proof that the repeat run used the index, not a new check
    // (the snapshot is the checked bytes'; answers are read from the file as it is: it is trusted
    // unchanged, as a dataset file is).
    write("keyed.jsonl", [line("q1", "a", "7"), line("q1", "b", "5")]);
    utimesSync(path, mtime, mtime);
    const repeat = createReplayProvider({ importsPath: imports });
    expect(repeat.snapshot(a)).toBe(snapA);
    // A real edit moves the mtime: the new bytes are imported; only the edited model's snapshot changes.
    utimesSync(path, mtime, mtime + 5);
    const edited = createReplayProvider({ importsPath: imports });
    expect(edited.snapshot(a)).not.toBe(snapA);
    expect(edited.snapshot(b)).toBe(snapB);
    expect((await edited.complete(a, request, ctx("q1"))).text).toBe("7");
  });

  it("a duplicate or bad line fails the import with its line number, and nothing is half-imported", () => {
    const imports = join(dir, "bad.sqlite");
    const dup = write("dup.jsonl", [line("q1", "a", "4"), line("q2", "a", "4"), line("q1", "a", "5")]);
    expect(() => createReplayProvider({ importsPath: imports }).snapshot(parseModelSpec(`replay:a@${dup}`))).toThrow(
      /dup\.jsonl.*line 3.*duplicate outcome.*first at line 1/,
    );
    const bad = write("bad.jsonl", [line("q1", "a", "4"), '{"itemId": "q2", "model": "a"}']);
    expect(() => createReplayProvider({ importsPath: imports }).snapshot(parseModelSpec(`replay:a@${bad}`))).toThrow(
      /bad\.jsonl.*line 2/,
    );
    // Fixed, the file imports cleanly (the failed attempt left no rows behind to collide with).
    write("dup.jsonl", [line("q1", "a", "4"), line("q2", "a", "4")]);
    utimesSync(dup, new Date(), new Date(Date.now() + 10_000));
    expect(createReplayProvider({ importsPath: imports }).snapshot(parseModelSpec(`replay:a@${dup}`))).toMatch(
      /^replay:a@[0-9a-f]{12}$/,
    );
  });

  it("reads a gzipped file's records from its gunzipped bytes, checked or indexed", async () => {
    const plain = write("zipped.jsonl", [line("q1", "a", "4"), line("q2", "a", "6"), line("q1", "b", "5")]);
    const path = `${plain}.gz`;
    writeFileSync(path, gzipSync(readFileSync(plain)));
    const spec = parseModelSpec(`replay:a@${path}`);
    const imports = join(dir, "zipped.sqlite");
    for (const provider of [
      createReplayProvider({ importsPath: imports }),
      createReplayProvider({ importsPath: imports }),
    ]) {
      provider.readAhead(spec, [{ itemId: "q2", role: "answer", sample: 0, parents: [] }]);
      expect((await provider.complete(spec, request, ctx("q2"))).text).toBe("6");
      expect((await provider.complete(spec, request, ctx("q1"))).text).toBe("4");
    }
  });

  it("a file changed after it was checked is an error, never another record's answer", async () => {
    const path = write("moving.jsonl", [line("q1", "a", "4"), line("q2", "a", "6")]);
    const spec = parseModelSpec(`replay:a@${path}`);
    const provider = createReplayProvider({ importsPath: join(dir, "moving.sqlite") });
    provider.snapshot(spec);
    write("moving.jsonl", [line("q0", "a", "a longer first line"), line("q1", "a", "4"), line("q2", "a", "6")]);
    await expect(provider.complete(spec, request, ctx("q2"))).rejects.toThrow(
      /moving\.jsonl: changed since the run checked it/,
    );
  });
});

describe("record places", () => {
  it("finds every record of a key hash, in file order, and none of an absent one", () => {
    const builder = new PlacesBuilder();
    const hashes = [7, 3, 7, 9, 3, 7];
    for (const [i, h] of hashes.entries()) builder.push(h, i * 10, 5, i + 1);
    const places = builder.done();
    expect([...places.keyHash]).toEqual([3, 3, 7, 7, 7, 9]);
    const [from, to] = candidates(places, 7);
    expect([...places.line.slice(from, to)]).toEqual([1, 3, 6]);
    const [f5, t5] = candidates(places, 5);
    expect(t5 - f5).toBe(0);
  });

  it("hashes a key to a safe integer, apart from its model and from the same text split otherwise", () => {
    const h = keyHash("gpt-4o-mini", "q1\u00000");
    expect(Number.isSafeInteger(h)).toBe(true);
    expect(keyHash("gpt-4o-mini", "q1\u00000")).toBe(h);
    expect(keyHash("gpt-4.1-nano", "q1\u00000")).not.toBe(h);
    expect(keyHash("gpt-4o-min", "iq1\u00000")).not.toBe(h);
  });
});
