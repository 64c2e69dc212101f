import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { propagation, SpanStatusCode } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorReply } from "../../devkit/fake-provider/wire.ts";
import { otlpEndpointOf, startOtlpTracing } from "../../src/serve/otlp-tracing.ts";
import { routingConfig, useGateway } from "./harness.ts";

// OpenTelemetry spans with the GenAI semantic-convention attributes, read back from the SDK's
// in-memory exporter: what an OTLP backend would receive.

const h = useGateway();
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(async () => {
  const file = h.writeConfig(
    "triage.json",
    routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")]),
  );
  await h.start({ routes: [{ file }], tracer: provider.getTracer("routegate-test") });
});

afterAll(() => propagation.disable());

describe("routegate serve: OpenTelemetry spans", () => {
  it("records one span per request with the GenAI attributes, the decision id, the route and the fallback", async () => {
    exporter.reset();
    h.fake.setAnswerer({ text: () => "billing", usage: () => ({ prompt: 41, cached: 0, output: 3 }) });
    h.fake.setResponder((req) => (req.model === "gpt-4o-mini" ? errorReply("openai", 503, "overloaded") : undefined));
    const r = await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "secret ticket text" }] })
      .withResponse();
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe("chat routegate/triage");
    expect(span.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "routegate/triage",
      "gen_ai.response.model": "gpt-4o",
      "gen_ai.provider.name": "openai",
      "gen_ai.usage.input_tokens": 41,
      "gen_ai.usage.output_tokens": 3,
      "routegate.decision_id": r.response.headers.get("x-routegate-decision"),
      "routegate.route": "triage",
      "routegate.chosen_model": "small",
      "routegate.model": "large",
      "routegate.fallback": true,
      "routegate.fallback_models": ["small"],
      "http.response.status_code": 200,
    });
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    // Attributes are ids, counts and costs: the request's text never reaches the exporter.
    expect(JSON.stringify(span.attributes)).not.toContain("secret ticket");
  });

  it("continues the client's trace when the request carries a traceparent", async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    exporter.reset();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await h.client.chat.completions.create(
      { model: "routegate/triage", messages: [{ role: "user", content: "hi" }] },
      { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
    );
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span!.spanContext().traceId).toBe(traceId);
    expect(span!.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
  });

  it("marks a failed request's span as an error, streamed or not", async () => {
    exporter.reset();
    h.fake.setResponder(() => errorReply("openai", 500, "down"));
    await h.client.chat.completions
      .create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }], stream: true })
      .catch(() => undefined);
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes).toMatchObject({
      "http.response.status_code": 502,
      "error.type": "502",
      "routegate.stream": true,
    });
  });

  it("records nothing without a tracer (tracing off)", async () => {
    exporter.reset();
    const file = h.writeConfig("plain.json", routingConfig([h.openai("small"), h.openai("large", "gpt-4o")]));
    await h.start({ routes: [{ file }] });
    await h.client.chat.completions.create({ model: "routegate/triage", messages: [{ role: "user", content: "hi" }] });
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe("the OTLP exporter", () => {
  it("is configured by --otlp-endpoint, else OTEL_EXPORTER_OTLP_ENDPOINT, else not at all", () => {
    expect(otlpEndpointOf("http://flag:4318", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://env:4318" })).toBe(
      "http://flag:4318",
    );
    expect(otlpEndpointOf(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://env:4318" })).toBe("http://env:4318");
    expect(otlpEndpointOf(undefined, {})).toBeUndefined();
  });

  it("sends the spans over OTLP/HTTP to <endpoint>/v1/traces, with the service name", async () => {
    const received: Array<{ path: string; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ path: req.url ?? "", body });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const tracing = await startOtlpTracing(`${endpoint}/`, { OTEL_SERVICE_NAME: "gateway-eu" });
    tracing.tracer.startSpan("chat routegate/triage", { attributes: { "gen_ai.operation.name": "chat" } }).end();
    await tracing.shutdown();
    await new Promise<void>((r) => collector.close(() => r()));
    expect(received.map((r) => r.path)).toEqual(["/v1/traces"]);
    expect(received[0]!.body).toContain("chat routegate/triage");
    expect(received[0]!.body).toContain("gen_ai.operation.name");
    expect(received[0]!.body).toContain("gateway-eu");
  });
});
