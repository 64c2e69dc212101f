import { describe, expect, it } from "vitest";
import { Budget, BudgetExceededError } from "./budget.ts";

describe("Budget", () => {
  it("charges actual cost, gives back unbilled failures, and charges blind failures at their worst case", async () => {
    const budget = new Budget(10);
    const a = await budget.reserve(4);
    const b = await budget.reserve(4);
    expect(budget.reservedUsdNow).toBe(8);
    a.settle(1);
    b.release();
    expect(budget.spentUsd).toBe(1);
    expect(budget.reservedUsdNow).toBe(0);
    const c = await budget.reserve(4);
    c.chargeWorstCase(4, true);
    expect(budget.spentUsd).toBe(5);
    expect(budget.timedOutUsd).toBe(4);
    c.settle(0); // a second close is ignored
    expect(budget.spentUsd).toBe(5);
  });

  it("makes a reservation that does not fit wait for the calls in flight, then grants it", async () => {
    const budget = new Budget(10);
    const held = await budget.reserve(8);
    let granted = false;
    const waiting = budget.reserve(5).then((r) => {
      granted = true;
      return r;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    held.settle(2); // 2 spent, 8 left
    (await waiting).settle(5);
    expect(granted).toBe(true);
    expect(budget.spentUsd).toBe(7);
  });

  it("stops for good when a reservation cannot fit with nothing in flight", async () => {
    const budget = new Budget(10);
    (await budget.reserve(9)).settle(9);
    const err = await budget.reserve(2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(err).toMatchObject({ capUsd: 10, spentUsd: 9, reservedUsd: 0, neededUsd: 2 });
    // Sticky: even a call that would fit is refused, so the run stops promptly.
    await expect(budget.reserve(0.5)).rejects.toBe(err);
    expect(budget.stopped).toBe(err);
  });

  it("refuses the waiters too when the budget runs out while they wait", async () => {
    const budget = new Budget(10);
    const held = await budget.reserve(6);
    const waiter = budget.reserve(6);
    held.settle(6); // 4 left: the waiter's 6 can never fit and nothing is in flight
    await expect(waiter).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it("without a cap never refuses and still adds up what was spent", async () => {
    const budget = new Budget(null);
    for (let i = 0; i < 5; i++) (await budget.reserve(0)).settle(1e9);
    expect(budget.spentUsd).toBe(5e9);
  });
});
