import { propagation, type Tracer } from "@opentelemetry/api";

// The OTLP exporter behind `--otlp-endpoint` (or OTEL_EXPORTER_OTLP_ENDPOINT): loaded only when
// configured, so a gateway without tracing never loads the SDK. Spans are batched and sent over
// OTLP/HTTP (JSON) to `<endpoint>/v1/traces`; the exporter reads OTEL_EXPORTER_OTLP_HEADERS itself,
// so a collector's credentials stay in the environment and never reach a flag or a log.

export interface OtlpTracing {
  tracer: Tracer;
  /** Flushes the spans still queued, then stops the exporter. */
  shutdown(): Promise<void>;
}

export async function startOtlpTracing(endpoint: string, env: NodeJS.ProcessEnv = process.env): Promise<OtlpTracing> {
  const [
    { TracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { defaultResource, resourceFromAttributes },
    { W3CTraceContextPropagator },
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/core"),
  ]);
  // A client's `traceparent` makes the gateway's span a child of the client's own trace.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "routegate" })),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  return { tracer: provider.getTracer("routegate"), shutdown: () => provider.shutdown() };
}

/** `--otlp-endpoint`, else OTEL_EXPORTER_OTLP_ENDPOINT; undefined: no tracing. */
export function otlpEndpointOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
}
