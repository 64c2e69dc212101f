import { describe, expect, it } from "vitest";
import { ServedTraffic } from "../../src/serve/served-traffic.ts";

describe("ServedTraffic.gap", () => {
  it("waits while a served request is in flight and opens when the last one ends", async () => {
    const traffic = new ServedTraffic();
    traffic.begin();
    traffic.begin();
    let opened = false;
    const gap = traffic.gap(60_000).then(() => {
      opened = true;
    });
    traffic.end();
    await new Promise((r) => setImmediate(r));
    expect(opened).toBe(false);
    traffic.end();
    await gap;
    expect(opened).toBe(true);
  });

  it("opens on a later turn when nothing is in flight, and after the longest wait under steady load", async () => {
    const traffic = new ServedTraffic();
    let opened = false;
    const gap = traffic.gap(60_000).then(() => {
      opened = true;
    });
    expect(opened).toBe(false);
    await gap;
    traffic.begin();
    await traffic.gap(20); // never idle: opens anyway
    traffic.end();
  });
});
