import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { errorReply, openaiBody } from "../../devkit/fake-provider/wire.ts";
import { GATEWAY_KEY, routingConfig, UPSTREAM_KEYS, useGateway } from "./harness.ts";

const h = useGateway();
const LONG = "please look at this long support ticket about a double charge on my invoice";

beforeAll(async () => {
  const file = h.writeConfig(
    "triage.json",
    routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")]),
  );
  await h.start({ routes: [{ file }] });
});

describe("routegate serve: chat completions through the official OpenAI SDK", () => {
  it("routes each request with the config's router and answers in OpenAI's format", async () => {
    h.fake.setAnswerer({ text: () => "refund queue", usage: () => ({ prompt: 30, cached: 10, output: 2 }) });
    const short = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(short.data.choices[0]!.message.content).toBe("refund queue");
    expect(short.data.choices[0]!.finish_reason).toBe("stop");
    expect(short.data.model).toBe("routegate/triage");
    expect(short.data.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 2, total_tokens: 32 });
    expect(short.data.usage?.prompt_tokens_details?.cached_tokens).toBe(10);
    expect(short.response.headers.get("x-routegate-model")).toBe("small");
    const decision = short.response.headers.get("x-routegate-decision");
    expect(decision).toMatch(/^[0-9a-f-]{36}$/);

    const long = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: LONG }] })
      .withResponse();
    expect(long.response.headers.get("x-routegate-model")).toBe("large");
    // The upstream got the model the router chose, with the gateway's upstream key, never the client's.
    const sent = h.fake.requests.map((r) => [r.model, r.headers.authorization]);
    expect(sent).toEqual([
      ["gpt-4o-mini", `Bearer ${UPSTREAM_KEYS.OPENAI_API_KEY}`],
      ["gpt-4o", `Bearer ${UPSTREAM_KEYS.OPENAI_API_KEY}`],
    ]);
    const line = h.decisions.find((d) => d.decisionId === decision)!;
    expect(line).toMatchObject({ route: "triage", chosen: "small", answeredBy: "small", status: 200, stream: false });
    expect(line.input).toBeUndefined(); // content logging is opt-in
  });

  it("streams the answer as chat.completion.chunk events, usage last when asked", async () => {
    // Longer than any configured key: the secret scrubber holds back a key's length of text.
    const text = "the quick brown fox jumps over the lazy dog and runs far away into the woods";
    h.fake.setAnswerer({ text: () => text, usage: () => ({ prompt: 12, cached: 0, output: 4 }) });
    const { data: stream, response } = await h.client.chat.completions
      .create({
        model: "routegate/triage",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    expect(response.headers.get("x-routegate-model")).toBe("small");
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const pieces = chunks.flatMap((c) => c.choices.map((x) => x.delta.content ?? "")).filter(Boolean);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(text);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe("stop");
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4 });
    expect(h.fake.requests[0]!.stream).toBe(true);
    const line = h.decisions.at(-1)!;
    expect(line).toMatchObject({ stream: true, status: 200, answeredBy: "small" });
    expect(line.timeToFirstChunkMs).toBeGreaterThanOrEqual(0);
  });

  it("passes tools through and returns the model's tool calls, whole and streamed", async () => {
    const toolAnswer = () => {
      const body = openaiBody({ text: "", usage: { prompt_tokens: 20, completion_tokens: 7 } });
      const choice = (body.choices as Record<string, unknown>[])[0]!;
      choice.message = {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        ],
      };
      choice.finish_reason = "tool_calls";
      return { body };
    };
    const tools = [
      {
        type: "function" as const,
        function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
      },
    ];
    h.fake.enqueue(toolAnswer(), toolAnswer());
    const whole = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "weather?" }], tools })
      .withResponse();
    expect(whole.data.choices[0]!.finish_reason).toBe("tool_calls");
    expect(whole.data.choices[0]!.message.tool_calls).toEqual([
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);
    // The eval gated plain chat: tools get a warning header and a log line.
    expect(whole.response.headers.get("x-routegate-warning")).toMatch(/tools/);
    expect(h.logs.some((l) => l.includes("tools"))).toBe(true);
    expect((h.fake.requests[0]!.body as { tools: unknown[] }).tools).toHaveLength(1);

    const stream = await h.client.chat.completions.create({
      model: "routegate/triage",
      messages: [{ role: "user", content: "weather?" }],
      tools,
      stream: true,
    });
    let args = "";
    let name = "";
    let finish: string | null = null;
    for await (const c of stream) {
      const call = c.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      args += call?.function?.arguments ?? "";
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args), finish }).toEqual({
      name: "get_weather",
      args: { city: "Paris" },
      finish: "tool_calls",
    });
  });

  it("falls back to the next model on a 5xx and names the model that answered", async () => {
    h.fake.setResponder((req) => (req.model === "gpt-4o-mini" ? errorReply("openai", 503, "overloaded") : undefined));
    const r = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(r.response.headers.get("x-routegate-model")).toBe("large");
    expect(h.decisions.at(-1)).toMatchObject({ chosen: "small", answeredBy: "large", status: 200 });
    expect(h.decisions.at(-1)!.fallbacks![0]!.model).toBe("small");
    const metrics = await (
      await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } })
    ).text();
    expect(metrics).toMatch(/routegate_fallbacks_total\{route="triage",model="small"\} 1/);
  });

  it("answers 502 in OpenAI's error format when every upstream fails", async () => {
    h.fake.setResponder(() => errorReply("openai", 500, "down"));
    const err = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      type: "upstream_error",
      code: "upstream_failed",
    });
    expect(h.decisions.at(-1)!.status).toBe(502);
  });

  it("answers an unknown model 404 model_not_found, and bad bodies 400, as OpenAI does", async () => {
    const missing = await h.client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");

    const badField = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }], temperature: 7 })
      .catch((e: unknown) => e);
    expect(badField).toBeInstanceOf(OpenAI.BadRequestError);
    expect((badField as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("temperature");

    const post = (body: string) =>
      fetch(`${h.gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${GATEWAY_KEY}`, "content-type": "application/json" },
        body,
      });
    const malformed = await post("{not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    const huge = await post(
      JSON.stringify({ model: "routegate/triage", messages: [{ role: "user", content: "x".repeat(2_000_000) }] }),
    );
    expect(huge.status).toBe(413);
    expect(h.fake.requests).toHaveLength(0);
  });

  it("requires the gateway key", async () => {
    const anonymous = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: "wrong-key", maxRetries: 0 });
    const err = await anonymous.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((await fetch(`${h.gateway.url}/v1/models`)).status).toBe(401);
    expect(h.fake.requests).toHaveLength(0);
    // Health checks need no key.
    expect((await fetch(`${h.gateway.url}/healthz`)).status).toBe(200);
  });

  it("lists the routes as models", async () => {
    const models = await h.client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["routegate/triage"]);
  });
});
