import { describe, expect, it } from "vitest";
import { headerLookup, parseGoogleRetryDelay, parseRetryAfter } from "./retry-after.ts";

const at = (h: Record<string, string>) => parseRetryAfter(headerLookup(h), Date.parse("2026-11-26T10:00:00Z"));

describe("parseRetryAfter", () => {
  it("reads retry-after-ms first, then seconds, then an HTTP date", () => {
    expect(at({ "retry-after-ms": "250.4", "retry-after": "9" })).toBe(250);
    expect(at({ "Retry-After": "1.5" })).toBe(1500);
    expect(at({ "retry-after": "Thu, 26 Nov 2026 10:00:07 GMT" })).toBe(7000);
    expect(at({ "retry-after": "Thu, 26 Nov 2026 09:00:00 GMT" })).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(at({})).toBeUndefined();
    expect(at({ "retry-after": "soon" })).toBeUndefined();
    expect(at({ "retry-after-ms": "-5" })).toBeUndefined();
    expect(parseRetryAfter(headerLookup(undefined))).toBeUndefined();
    expect(parseRetryAfter(headerLookup(new Headers({ "retry-after": "3" })))).toBe(3000);
  });
});

describe("parseGoogleRetryDelay", () => {
  it("reads RetryInfo.retryDelay from a Google error body", () => {
    const body = { error: { code: 429, details: [{ "@type": "x.Help" }, { retryDelay: "12.5s" }] } };
    expect(parseGoogleRetryDelay(body)).toBe(12_500);
    expect(parseGoogleRetryDelay({ error: { code: 429 } })).toBeUndefined();
    expect(parseGoogleRetryDelay("nope")).toBeUndefined();
  });
});
