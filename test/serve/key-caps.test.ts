import { writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.ts";
import { digestOf, loadGatewayKeys } from "../../src/serve/gateway-keys.ts";
import { KeyLimits } from "../../src/serve/key-limits.ts";
import { runCli } from "../e2e/cli-in-process.ts";
import { GATEWAY_KEY, routingConfig, useGateway } from "./harness.ts";

const h = useGateway();
const ALPHA = "rg-alpha-key-000000000001";
const BETA = "rg-beta-key-0000000000002";

function writeKeys(keys: unknown): string {
  const file = join(h.dir, `keys-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(keys));
  return file;
}

describe("KeyLimits", () => {
  it("lets a key burst to its requests per minute, then answers 429 with the seconds to wait", () => {
    let now = Date.UTC(2026, 0, 1, 12);
    const limits = new KeyLimits(() => now);
    const key = { name: "alpha", digest: "x", requestsPerMinute: 2 };
    expect(limits.admit(key)).toBeUndefined();
    expect(limits.admit(key)).toBeUndefined();
    const refused = limits.admit(key)!;
    expect([refused.status, refused.code, refused.headers["retry-after"]]).toEqual([429, "rate_limit_exceeded", "30"]);
    now += 30_000;
    expect(limits.admit(key)).toBeUndefined();
    expect(limits.admit(key)?.status).toBe(429);
  });

  it("counts a key's spend per UTC day and refuses past the cap until midnight", () => {
    let now = Date.UTC(2026, 0, 1, 23, 0, 0);
    const limits = new KeyLimits(() => now);
    const key = { name: "beta", digest: "y", usdPerDay: 0.05 };
    limits.charge(key, 0.03);
    expect(limits.admit(key)).toBeUndefined();
    limits.charge(key, 0.03);
    const refused = limits.admit(key)!;
    expect([refused.status, refused.type, refused.code]).toEqual([429, "insufficient_quota", "spend_cap_reached"]);
    expect(refused.headers["retry-after"]).toBe("3600");
    now += 3600_000;
    expect(limits.admit(key)).toBeUndefined();
    expect(limits.spentTodayUsd(key)).toBe(0);
  });
});

describe("loadGatewayKeys", () => {
  it("reads keys or their digests, and refuses a bad file naming the field and the fix", () => {
    const keys = loadGatewayKeys(
      writeKeys({
        keys: [
          { name: "a", key: ALPHA, requestsPerMinute: 5 },
          { name: "b", sha256: digestOf(BETA) },
        ],
      }),
    );
    expect(keys).toEqual([
      { name: "a", digest: digestOf(ALPHA), requestsPerMinute: 5 },
      { name: "b", digest: digestOf(BETA) },
    ]);
    const bad = () => loadGatewayKeys(writeKeys({ keys: [{ name: "a", key: "short", requestsPerMinute: 5 }] }));
    expect(bad).toThrow(InputError);
    expect(bad).toThrow(/\(keys\.0\.key\): at least 16 characters\. Fix: write \{"keys"/);
    expect(() =>
      loadGatewayKeys(
        writeKeys({
          keys: [
            { name: "a", key: ALPHA },
            { name: "a", key: BETA },
          ],
        }),
      ),
    ).toThrow(/keys\.1.*second key named "a"/);
  });
});

describe("routegate serve --keys (the CLI)", () => {
  it("refuses a bad keys file with exit 2, naming the file, the field and the fix", async () => {
    const config = h.writeConfig("cli.json", routingConfig([h.openai("small"), h.openai("large", "gpt-4o")]));
    const keys = writeKeys({ keys: [{ name: "a", key: ALPHA, requestsPerMinute: -1 }] });
    const run = await runCli(["serve", "--config", config, "--keys", keys, "--port", "0"], h.dir, {
      ROUTEGATE_API_KEY: GATEWAY_KEY,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${keys} (keys.0.requestsPerMinute)`);
    expect(run.stderr).toMatch(/Fix: write \{"keys"/);
    expect(run.stderr).not.toContain(ALPHA);
  });
});

describe("routegate serve with named keys", () => {
  it("answers 429 in OpenAI's format with Retry-After past a key's caps, per key, and never logs a key", async () => {
    // $1,000 per 1M tokens: each answer (30 prompt + 2 output tokens) costs $0.032.
    const priced = { ...h.openai("small"), pricing: { input: 1000, output: 1000 } };
    const file = h.writeConfig("keys.json", routingConfig([priced, h.openai("large", "gpt-4o")]));
    h.fake.setAnswerer({ text: () => "ok", usage: () => ({ prompt: 30, cached: 0, output: 2 }) });
    await h.start({
      routes: [{ file }],
      keys: loadGatewayKeys(
        writeKeys({
          keys: [
            { name: "alpha", key: ALPHA, requestsPerMinute: 2 },
            { name: "beta", key: BETA, usdPerDay: 0.05 },
          ],
        }),
      ),
    });
    const as = (key: string) => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: key, maxRetries: 0 });
    const ask = (key: string) =>
      as(key)
        .chat.completions.create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] })
        .then(
          () => 200,
          (e: InstanceType<typeof OpenAI.APIError>) => e,
        );

    expect([await ask(ALPHA), await ask(ALPHA)]).toEqual([200, 200]);
    const rate = (await ask(ALPHA)) as InstanceType<typeof OpenAI.APIError>;
    expect(rate).toBeInstanceOf(OpenAI.RateLimitError);
    expect(rate.code).toBe("rate_limit_exceeded");
    expect(Number(rate.headers?.get("retry-after"))).toBeGreaterThan(0);

    // beta: the first two answers ($0.064) cross its $0.05 cap; the third is refused.
    expect([await ask(BETA), await ask(BETA)]).toEqual([200, 200]);
    const spend = (await ask(BETA)) as InstanceType<typeof OpenAI.APIError>;
    expect([spend.status, spend.code, spend.type]).toEqual([429, "spend_cap_reached", "insufficient_quota"]);
    expect(Number(spend.headers?.get("retry-after"))).toBeGreaterThan(0);

    // The plain gateway key has no caps; an unknown key is 401.
    expect(await ask(GATEWAY_KEY)).toBe(200);
    expect(((await ask("rg-unknown-key-0000000003")) as InstanceType<typeof OpenAI.APIError>).status).toBe(401);

    expect(h.decisions.map((d) => d.key)).toEqual(["alpha", "alpha", "beta", "beta", undefined]);
    const metrics = await (
      await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: `Bearer ${BETA}` } })
    ).text();
    expect(metrics).toMatch(/routegate_key_limited_total\{key="alpha",code="rate_limit_exceeded"\} 1/);
    expect(metrics).toMatch(/routegate_key_limited_total\{key="beta",code="spend_cap_reached"\} 1/);
    const everything = JSON.stringify([h.decisions, h.logs]) + metrics;
    for (const secret of [ALPHA, BETA, GATEWAY_KEY]) expect(everything).not.toContain(secret);
  });
});
