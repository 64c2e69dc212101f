import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import { limitsFor, parseLimitFlag } from "./provider-limits.ts";

describe("per-provider limit flags", () => {
  it("reads N for every provider and PROVIDER=N lists, and merges kinds", () => {
    const limits = parseLimitFlag("rpm", "500", "rpm");
    parseLimitFlag("tpm", "openai=200000, anthropic=40000", "tpm", limits);
    expect(limits).toEqual({ "*": { rpm: 500 }, openai: { tpm: 200_000 }, anthropic: { tpm: 40_000 } });
    expect(limitsFor(limits, "openai")).toEqual({ rpm: 500, tpm: 200_000 });
    expect(limitsFor(limits, "google")).toEqual({ rpm: 500 });
    expect(limitsFor({}, "google")).toEqual({});
  });

  it("names the flag and the fix for a value that is not a limit", () => {
    for (const bad of ["0", "fast", "openai=", "=5", "openai=1.5"]) {
      expect(() => parseLimitFlag("rpm", bad, "rpm")).toThrow(InputError);
    }
    expect(() => parseLimitFlag("tpm", "x", "tpm")).toThrow(/--tpm.*PROVIDER=N/);
  });
});
