import { stringify } from "safe-stable-stringify";
import { describe, expect, it } from "vitest";
import { requestHash, requestHashes } from "./request-hash.ts";
import { sha256Hex } from "./sha256.ts";
import type { ChatRequest, RequestIdentity } from "./types.ts";

const request: ChatRequest = {
  messages: [
    { role: "system", content: "You triage tickets." },
    { role: "user", content: "My card was charged twice." },
  ],
  maxTokens: 8,
  temperature: 0,
};
const identity: RequestIdentity = { itemId: "t-1", role: "answer", sample: 0, parents: [] };

describe("requestHash", () => {
  const base = requestHash("gpt-4o-mini-2024-07-18", request, identity);

  it("ignores transport hints (prompt caching on or off reuses the outcome)", () => {
    expect(
      requestHash(
        "gpt-4o-mini-2024-07-18",
        { ...request, cache: { prefixMessages: 1, ttl: "1h", key: "k" } },
        identity,
      ),
    ).toBe(base);
  });

  it("does not depend on key order", () => {
    const reordered = { temperature: 0, maxTokens: 8, messages: request.messages } as ChatRequest;
    expect(requestHash("gpt-4o-mini-2024-07-18", reordered, identity)).toBe(base);
  });

  it.each([
    ["the model snapshot", () => requestHash("gpt-4o-mini-2025-01-01", request, identity)],
    [
      "a message",
      () =>
        requestHash(
          "gpt-4o-mini-2024-07-18",
          { ...request, messages: [request.messages[0]!, { role: "user", content: "x" }] },
          identity,
        ),
    ],
    ["a sampling parameter", () => requestHash("gpt-4o-mini-2024-07-18", { ...request, temperature: 0.7 }, identity)],
    ["max tokens", () => requestHash("gpt-4o-mini-2024-07-18", { ...request, maxTokens: 9 }, identity)],
    ["the item", () => requestHash("gpt-4o-mini-2024-07-18", request, { ...identity, itemId: "t-2" })],
    ["the role", () => requestHash("gpt-4o-mini-2024-07-18", request, { ...identity, role: "classify" })],
    ["the sample index", () => requestHash("gpt-4o-mini-2024-07-18", request, { ...identity, sample: 1 })],
    ["the parents", () => requestHash("gpt-4o-mini-2024-07-18", request, { ...identity, parents: ["abc"] })],
  ])("changes with %s", (_what, other) => {
    expect(other()).not.toBe(base);
  });

  it("treats parents as a set", () => {
    const a = requestHash("m", request, { ...identity, parents: ["x", "y"] });
    const b = requestHash("m", request, { ...identity, parents: ["y", "x"] });
    expect(a).toBe(b);
  });
});

describe("requestHashes", () => {
  // The content address as it was first defined: the stable stringification of the whole object.
  // Stored outcomes are found by it, so putting the form together from parts must not move one.
  const definition = (snapshot: string, r: ChatRequest, id: RequestIdentity) => {
    const { cache: _hint, ...hashed } = r;
    const whole = { v: 1, snapshot, request: hashed, identity: { ...id, parents: [...id.parents].sort() } };
    return sha256Hex(stringify(whole) ?? "");
  };
  const requests: ChatRequest[] = [
    request,
    { ...request, cache: { prefixMessages: 1, ttl: "5m" } },
    {
      messages: [
        { role: "user", content: 'quotes " \\ \n, accents é, emoji 🙂, a lone surrogate \ud800, and {"json": 1}' },
      ],
      maxTokens: 3,
      temperature: 0.7,
      topP: undefined,
      stop: ["\n\n", "END"],
    } as ChatRequest,
    {
      messages: [],
      maxTokens: 1,
      jsonSchema: { name: "s", schema: { type: "object", properties: { b: {}, a: { enum: [2, 1] } } } },
    } as ChatRequest,
  ];
  const identities: RequestIdentity[] = [
    identity,
    { itemId: 'i "2"', role: "verify", sample: 3, parents: ["ff", "00", "aa"] },
    { itemId: "é", role: "classify", sample: 0, parents: [] },
  ];
  const snapshots = ["gpt-4o-mini-2024-07-18", 'replay:m@"odd"', "sim:x@éé"];

  it("gives each snapshot the hash its definition gives, for every request and identity", () => {
    for (const r of requests)
      for (const id of identities) {
        const want = snapshots.map((s) => definition(s, r, id));
        expect(requestHashes(snapshots, r, id)).toEqual(want);
        expect(requestHash(snapshots[1]!, r, id)).toBe(want[1]);
      }
  });
});
