import { describe, expect, it } from "vitest";
import type { DecisionLogLine } from "../../src/contracts/decision-log-line.ts";
import { redactPii } from "../../src/core/redact-pii.ts";
import { createRng } from "../../src/stats/random.ts";
import { sampleTraffic } from "../../src/traffic/sample-traffic.ts";

/** A distinct letters-only word per number (digits are normalised away by the duplicate check). */
const word = (i: number) => `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`;

const line = (i: number, route: string, chosen: string, input?: string): DecisionLogLine => ({
  decisionId: `d${i}`,
  route,
  status: 200,
  chosen,
  inputChars: input?.length ?? 0,
  ...(input !== undefined ? { input } : {}),
});

describe("redaction recall", () => {
  // Planted identifiers in varied shapes: every one must be caught (names and street addresses are
  // documented as not covered).
  const emails = ["jane.doe@example.com", "j_smith+billing@mail.co.uk", "ops@sub.domain.io", "A.B@Example.ORG"];
  const phones = [
    "+1 415 555 0132",
    "(415) 555-0132",
    "415-555-0132",
    "+44 20 7946 0958",
    "+33 1 23 45 67 89",
    "020 7946 0958",
    "5550132",
  ];
  const keys = [
    "sk-proj-AbCdEfGhIjKlMnOpQrStUv123456",
    "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
    "AIzaSyA1234567890abcdefghijklmnopqrstu",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "AKIAIOSFODNN7EXAMPLE",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "password: hunter2hunter2hunter2",
  ];
  it.each([...emails, ...phones, ...keys])("removes %s from a sentence", (planted) => {
    const text = `Hi team, please reach ${planted} about order 12345 of 2024-05-01.`;
    const out = redactPii(text);
    expect(out).not.toContain(planted);
    // Precision: order numbers and dates stay readable.
    expect(out).toContain("order 12345 of 2024-05-01");
  });
});

describe("traffic sample", () => {
  it("redacts, drops near-duplicates, skips lines without content, and stratifies by route and model", () => {
    const log: DecisionLogLine[] = [];
    // triage/small: 60 distinct tickets plus 20 near-copies of one template (differing in a number).
    for (let i = 0; i < 60; i++)
      log.push(line(i, "triage", "small", `ticket ${word(i)} about ${word(i + 7)} and ${word(i + 13)}`));
    for (let i = 0; i < 20; i++)
      log.push(line(100 + i, "triage", "small", `my order ${1000 + i} has not arrived yet, where is it`));
    // triage/large: 20 requests; summaries/only: 20 requests, 10 without content.
    for (let i = 0; i < 20; i++)
      log.push(
        line(200 + i, "triage", "large", `escalation ${word(i)} ${word(i + 5)}, mail me at user${i}@corp.example`),
      );
    for (let i = 0; i < 20; i++)
      log.push(line(300 + i, "summaries", "only", i < 10 ? undefined : `summarise ${word(i)} for ${word(i + 3)}`));
    log.push({ ...line(999, "triage", "small", "failed request"), status: 502 });

    const s = sampleTraffic(log, { n: 40, seed: 1 }, createRng(1));
    expect(s.eligible).toBe(110);
    expect(s.withoutContent).toBe(10);
    const by = Object.fromEntries(s.strata.map((x) => [`${x.route}/${x.model}`, x.sampled]));
    // Proportional to traffic: 80, 20 and 10 of 110 eligible lines -> 29.1, 7.3, 3.6 of 40.
    expect(by).toEqual({ "triage/small": 29, "triage/large": 7, "summaries/only": 4 });
    expect(s.lines).toHaveLength(40);
    const orders = s.lines.filter((l) => String(l.input).startsWith("my order"));
    expect(orders.length).toBeLessThanOrEqual(1);
    expect(s.lines.some((l) => String(l.input).includes("@corp.example"))).toBe(false);
    expect(s.lines.every((l) => l.expected === undefined && l.metadata?.label === "unlabelled")).toBe(true);
    // Same seed, same sample.
    expect(sampleTraffic(log, { n: 40, seed: 1 }, createRng(1)).lines).toEqual(s.lines);
  });
});
