import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.ts";
import { loadTrafficProfile, parseTrafficProfile } from "../../src/economics/traffic-profile.ts";

const ok = { features: [{ name: "chat", requestsPerMonth: 1000 }] };

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("expected an InputError");
}

describe("traffic profile validation", () => {
  it("fills defaults: no batch, 5-minute TTL, concurrency 1, 12-month amortisation", () => {
    const p = parseTrafficProfile(
      {
        ...ok,
        selfHosting: { replaces: "m", gpuHourUsd: 2, gpus: 1, utilisation: 0.5 },
        fineTune: { candidate: "ft", trainingCostUsd: 10 },
      },
      "t.json",
    );
    expect(p.batchableShare).toBe(0);
    expect(p.cacheTtlSeconds).toBe(300);
    expect(p.selfHosting?.concurrency).toBe(1);
    expect(p.fineTune?.amortiseMonths).toBe(12);
  });

  it.each([
    [{ features: [] }, "field features"],
    [{ features: [{ name: "chat", requestsPerMonth: -1 }] }, "field features[0].requestsPerMonth"],
    [{ ...ok, batchableShare: 1.5 }, "field batchableShare"],
    [{ features: [{ name: "a", requestsPerMonth: 1, arrival: { peakPerHour: 1 } }] }, "field features[0].arrival"],
    [
      { ...ok, selfHosting: { replaces: "m", gpuHourUsd: 2, gpus: 1, utilisation: 0 } },
      "field selfHosting.utilisation",
    ],
    [{ ...ok, fineTune: { trainingCostUsd: 100 } }, "field fineTune"],
    [{ ...ok, surprise: true }, "field surprise"], // an unknown key is named (issue 14, item 2),
    [{ features: [ok.features[0], ok.features[0]] }, "field features[1].name"],
  ])("rejects %j naming %s", (json, where) => {
    const err = errorOf(() => parseTrafficProfile(json, "traffic.json"));
    expect(err.file).toBe("traffic.json");
    expect(err.where).toBe(where);
    expect(err.exitCode).toBe(2);
  });

  it("names the file when it is missing or not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-traffic-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ nope");
    expect(errorOf(() => loadTrafficProfile(bad)).message).toMatch(/bad\.json: not valid JSON/);
    expect(errorOf(() => loadTrafficProfile(join(dir, "none.json"))).message).toMatch(/none\.json: cannot read/);
  });
});
