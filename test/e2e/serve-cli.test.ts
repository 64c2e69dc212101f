import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { alwaysTo, routingConfig } from "../serve/harness.ts";
import { spawnRoutegate, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// The `routegate serve` binary as an operator runs it: flags and environment for the allow-list
// and the key, SIGHUP to reload, SIGTERM to drain; curl and the OpenAI SDK as clients.

const run = promisify(execFile);
let fake: FakeProvider;
let dir: string;
const KEY = "rg-cli-gateway-key-0001";
const env = () => ({
  ROUTEGATE_API_KEY: KEY,
  OPENAI_API_KEY: "sk-upstream-cli-0001",
  ROUTEGATE_ALLOW_BASE_URLS: fake.openaiBaseUrl,
});

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = tempDir("rg-serve-cli-");
});
afterAll(async () => {
  await fake.close();
});

const config = (model: string) =>
  routingConfig(
    [
      { id: "small", provider: "openai", model: "gpt-4o-mini", baseUrl: fake.openaiBaseUrl },
      { id: "large", provider: "openai", model: "gpt-4o", baseUrl: fake.openaiBaseUrl },
    ],
    alwaysTo(model),
  );

describe("routegate serve (the binary)", () => {
  it("serves curl and the OpenAI SDK, reloads on SIGHUP, drains on SIGTERM", async () => {
    const file = join(dir, "routing.config.json");
    writeFileSync(file, JSON.stringify(config("small")));
    const { child, done } = spawnRoutegate(["serve", "--config", file, "--port", "0"], dir, env());
    let url = "";
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on("data", (d: Buffer) => {
        const m = /listening on (http:\/\/\S+);/.exec(d.toString());
        if (m) {
          url = m[1]!;
          resolve();
        }
      });
      child.on("exit", () => reject(new Error("routegate serve exited before listening")));
    });
    const { stdout } = await run("curl", [
      "-sS",
      "-i",
      `${url}/v1/chat/completions`,
      "-H",
      `Authorization: Bearer ${KEY}`,
      "-H",
      "Content-Type: application/json",
      "-d",
      JSON.stringify({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] }),
    ]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toMatch(/x-routegate-model: small/i);
    expect(stdout).toMatch(/"object":"chat.completion"/);

    writeFileSync(file, JSON.stringify(config("large")));
    child.kill("SIGHUP");
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });
    await expect
      .poll(async () => {
        const r = await client.chat.completions
          .create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] })
          .withResponse();
        return r.response.headers.get("x-routegate-model");
      })
      .toBe("large");
    child.kill("SIGTERM");
    const exit = await done;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(/reload: route triage/);
    // Upstream keys never leave the process: not in its output.
    expect(exit.stderr + exit.stdout).not.toContain("sk-upstream-cli-0001");
  });

  // In-process: refused before it listens (a regression that served anyway would time out).
  it("exits 2 naming the file and the fix when a config is refused or the key is missing", async () => {
    const file = join(dir, "evil.json");
    const evil = config("small");
    evil.models[0]!.baseUrl = "https://attacker.example/v1";
    writeFileSync(file, JSON.stringify(evil));
    const refused = await runCli(["serve", "--config", file, "--port", "0"], dir, env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("evil.json");
    expect(refused.stderr).toMatch(/baseUrl.*Fix:/);

    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(config("small")));
    const keyless = await runCli(["serve", "--config", good, "--port", "0"], dir, { ...env(), ROUTEGATE_API_KEY: "" });
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/ROUTEGATE_API_KEY/);
  });
});
