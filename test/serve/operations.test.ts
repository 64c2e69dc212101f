import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { RoutingConfigError } from "../../src/contracts/routing-config.ts";
import { GatewayStartError, startGateway } from "../../src/serve/gateway.ts";
import { alwaysTo, GATEWAY_KEY, routingConfig, useGateway } from "./harness.ts";

const h = useGateway();
const hi = [{ role: "user" as const, content: "hi" }];

describe("routegate serve: routes, reloads and safety", () => {
  it("serves a route per feature, each with its own config", async () => {
    const triage = h.writeConfig(
      "t.json",
      routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")]),
    );
    const summarise = h.writeConfig(
      "s.json",
      routingConfig([h.openai("only", "gpt-4.1")], alwaysTo("only"), "summaries"),
    );
    await h.start({ routes: [{ file: triage }, { file: summarise }, { name: "alias", file: summarise }] });
    const ids = (await h.client.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(["routegate/triage", "routegate/summaries", "routegate/alias"]);
    const a = await h.client.chat.completions.create({ model: "routegate/triage", messages: hi }).withResponse();
    const b = await h.client.chat.completions.create({ model: "routegate/summaries", messages: hi }).withResponse();
    expect([a.response.headers.get("x-routegate-model"), b.response.headers.get("x-routegate-model")]).toEqual([
      "small",
      "only",
    ]);
    expect(h.fake.requests.map((r) => r.model)).toEqual(["gpt-4o-mini", "gpt-4.1"]);
  });

  it("reloads a changed config, refuses a bad one and keeps serving the last good, with no failed request under load", async () => {
    const file = h.writeConfig(
      "r.json",
      routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")]),
    );
    const gw = await h.start({ routes: [{ file }] });
    let stop = false;
    const failures: unknown[] = [];
    let answered = 0;
    const load = Array.from({ length: 4 }, async () => {
      while (!stop) {
        await h.client.chat.completions
          .create({ model: "routegate/triage", messages: hi })
          .then(() => answered++)
          .catch((e: unknown) => failures.push(e));
      }
    });
    const always = (model: string) =>
      routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")], alwaysTo(model));
    writeFileSync(file, JSON.stringify(always("large")));
    expect(gw.reload()).toEqual([{ route: "triage", outcome: "changed" }]);
    await new Promise((r) => setTimeout(r, 150));
    // A config naming a host the service does not allow is refused; the last good keeps serving.
    const evil = routingConfig([
      { id: "small", provider: "openai", model: "gpt-4o", baseUrl: "https://attacker.example/v1" },
    ]);
    writeFileSync(file, JSON.stringify(evil));
    const [refused] = gw.reload();
    expect(refused!.outcome).toBe("refused");
    expect(refused!.error).toMatch(/baseUrl.*not an endpoint this service allows/);
    writeFileSync(file, "{ not json");
    expect(gw.reload()[0]!.outcome).toBe("refused");
    await new Promise((r) => setTimeout(r, 150));
    stop = true;
    await Promise.all(load);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(0);
    const r = await h.client.chat.completions.create({ model: "routegate/triage", messages: hi }).withResponse();
    expect(r.response.headers.get("x-routegate-model")).toBe("large");
    expect(h.fake.requests.some((q) => q.headers.host?.includes("attacker"))).toBe(false);
    expect(h.logs.filter((l) => l.startsWith("reload refused"))).toHaveLength(2);
    const metrics = await (
      await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } })
    ).text();
    expect(metrics).toMatch(/routegate_config_version\{route="triage"\} 2/);
    expect(metrics).toMatch(/routegate_config_reloads_refused_total\{route="triage"\} 2/);
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { routes: Array<{ version: number }> };
    expect(ready.routes[0]!.version).toBe(2);
  });

  it("reloads on its own when the file changes", async () => {
    const file = h.writeConfig("w.json", routingConfig([h.openai("small"), h.openai("large", "gpt-4o")]));
    await h.start({ routes: [{ file }], watchIntervalMs: 50 });
    writeFileSync(
      file,
      JSON.stringify(routingConfig([h.openai("small"), h.openai("large", "gpt-4o")], alwaysTo("large"))),
    );
    await expect.poll(() => h.gateway.routes.get("triage")!.version, { timeout: 5000 }).toBe(2);
    // A refused file is logged once, not on every poll.
    writeFileSync(file, "{ broken");
    await expect.poll(() => h.logs.filter((l) => l.startsWith("reload refused")).length, { timeout: 5000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.logs.filter((l) => l.startsWith("reload refused"))).toHaveLength(1);
    expect(h.gateway.routes.get("triage")!.version).toBe(2);
  });

  it("refuses at start a config that sends requests where the host did not allow", async () => {
    const file = h.writeConfig(
      "x.json",
      routingConfig(
        [{ id: "small", provider: "openai", model: "gpt-4o", baseUrl: "https://attacker.example/v1" }],
        alwaysTo("small"),
      ),
    );
    await expect(h.start({ routes: [{ file }] })).rejects.toThrow(RoutingConfigError);
    const keyEnv = h.writeConfig(
      "k.json",
      routingConfig([{ ...h.openai("small"), apiKeyEnv: "AWS_SECRET_ACCESS_KEY" }], alwaysTo("small")),
    );
    await expect(h.start({ routes: [{ file: keyEnv }] })).rejects.toThrow(/apiKeyEnv/);
  });

  it("is safe by default: a key is required, and --no-auth only on loopback", async () => {
    const file = h.writeConfig("a.json", routingConfig([h.openai("small")], alwaysTo("small")));
    const base = { routes: [{ file }], allow: {}, port: 0, watchIntervalMs: 0 };
    await expect(startGateway(base)).rejects.toThrow(GatewayStartError);
    await expect(startGateway({ ...base, noAuth: true, host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });

  it("answers 400 when the chosen model cannot honour the request's response format", async () => {
    const file = h.writeConfig("j.json", routingConfig([h.anthropic("claude")], alwaysTo("claude")));
    await h.start({ routes: [{ file }] });
    const err = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: hi, response_format: { type: "json_object" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("response_format");
    expect(h.fake.requests).toHaveLength(0);
  });

  it("aborts the upstream call when the client disconnects, and a deadline answers 504", async () => {
    const file = h.writeConfig("c.json", routingConfig([h.openai("small")], alwaysTo("small")));
    await h.start({ routes: [{ file }], deadlineMs: 400 });
    h.fake.setAnswerer({ text: () => "slow answer ".repeat(30), usage: () => ({ prompt: 5, cached: 0, output: 60 }) });
    h.fake.setResponder(() => ({ body: undefined, hang: true }));
    const controller = new AbortController();
    const pending = h.client.chat.completions
      .create({ model: "routegate/triage", messages: hi }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(() => h.fake.requests.length).toBe(1);
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    await expect.poll(() => h.decisions.at(-1)?.status).toBe(499);

    const late = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: hi })
      .catch((e: unknown) => e);
    expect((late as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
  });

  it("logs the router input only when asked, redacted, and rotates the log", async () => {
    const file = h.writeConfig("l.json", routingConfig([h.openai("small")], alwaysTo("small")));
    const log = join(h.dir, "decisions.jsonl");
    await h.start({ routes: [{ file }], logContent: true, decisionLog: { file: log, maxBytes: 1500, keep: 2 } });
    const planted = "mail jane.doe@example.com or call +1 415 555 0132, key sk-proj-abcdefghijklmnopqrstuvwx";
    for (let i = 0; i < 4; i++)
      await h.client.chat.completions.create({
        model: "routegate/triage",
        messages: [{ role: "user", content: planted }],
      });
    const text = [log, `${log}.1`].map((f) => readFileSync(f, "utf8")).join("");
    expect(text).not.toMatch(/jane\.doe|415 555|sk-proj/);
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { input: string; inputChars: number });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]!.input).toBe("mail [EMAIL] or call [PHONE], key [KEY]");
    expect(lines[0]!.inputChars).toBe(planted.length);
  });
});
