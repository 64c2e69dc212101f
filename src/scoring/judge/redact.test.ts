import { describe, expect, it } from "vitest";
import { buildProtocol, gradingRequest } from "./protocol.ts";
import { createRedactor, EMAIL_MASK, PHONE_MASK } from "./redact.ts";

describe("createRedactor", () => {
  const redact = createRedactor(true);

  it("masks e-mail addresses and phone numbers", () => {
    expect(redact("Write to jane.doe+shop@example.co.uk today")).toBe(`Write to ${EMAIL_MASK} today`);
    expect(redact("Call +44 20 7946 0958 or (555) 123-4567.")).toBe(`Call ${PHONE_MASK} or ${PHONE_MASK}.`);
    expect(redact("mobile 0176 1234 5678")).toBe(`mobile ${PHONE_MASK}`);
  });

  it("leaves dates, amounts, order numbers and short codes alone", () => {
    const text = "Order NMB-447120 on 2024-03-15 for $1,299.00, code 123456, 14 months, +20%";
    expect(redact(text)).toBe(text);
  });

  it("is the identity when off, takes a selection, extra patterns or a function", () => {
    expect(createRedactor(undefined)("a@b.io")).toBe("a@b.io");
    expect(createRedactor(false)("a@b.io")).toBe("a@b.io");
    expect(createRedactor({ phones: false })("a@b.io +1 415 555 0100")).toBe(`${EMAIL_MASK} +1 415 555 0100`);
    expect(createRedactor({ patterns: ["NMB-\\d+"] })("order NMB-447120")).toBe("order [redacted]");
    expect(createRedactor((t) => t.toUpperCase())("abc")).toBe("ABC");
  });

  it("runs before the text enters the judge request (and so the stored request and its hash)", () => {
    const p = buildProtocol({ type: "judge-rubric", judge: "sim:mid", redact: true }, ".");
    const req = gradingRequest(p, "I am ann@shop.example, call 020 7946 0958", "Reply to ann@shop.example");
    const user = req.messages[1]!.content;
    expect(user).not.toContain("ann@shop.example");
    expect(user).not.toContain("7946");
    expect(user).toContain(EMAIL_MASK);
  });
});
