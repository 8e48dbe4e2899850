package io.vigil.agent.trace;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vigil.agent.config.SecretSettings;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthResult;
import io.vigil.api.metrics.AgentMetrics;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK tracer provider: resource, parent-based trace-id-ratio sampler and the
 * bounded batch processor in front of the SDK's OTLP exporter.
 * With {@code traces.enabled=false} everything here is the API's no-op.
 */
public final class TracingCore {

  static final int MAX_QUEUE_SIZE = 2048;
  static final int MAX_BATCH_SIZE = 512;
  static final long SCHEDULE_DELAY_MILLIS = 1000;

  private final Tracer tracer;
  private final SdkTracerProvider provider;
  private final BoundedSpanProcessor processor;
  private final String description;
  private final SpanExporter exporter;

  private TracingCore(Tracer tracer, SdkTracerProvider provider, BoundedSpanProcessor processor, String description,
      SpanExporter exporter) {
    this.exporter = exporter;
    this.tracer = tracer;
    this.provider = provider;
    this.processor = processor;
    this.description = description;
  }

  public static TracingCore disabled() {
    return new TracingCore(TracerProvider.noop().get("io.vigil"), null, null, "off", null);
  }

  /**
   * @throws IOException when a configured certificate or key file cannot be read; a malformed one
   *     is an {@link IllegalStateException} from the SDK
   */
  public static TracingCore start(VigilConfig config, AgentMetrics metrics, String agentVersion, String serviceVersion)
      throws IOException {
    SpanExporter exporter = OtlpExporterFactory.create(config, metrics);
    BoundedSpanProcessor processor =
        new BoundedSpanProcessor(exporter, metrics, MAX_QUEUE_SIZE, MAX_BATCH_SIZE, SCHEDULE_DELAY_MILLIS);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(ResourceFactory.create(config, agentVersion, serviceVersion))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplerRatio())))
        .addSpanProcessor(processor)
        .build();
    Tracer tracer = provider.get("io.vigil", agentVersion);
    // The start-up line shows the endpoint: never the user information a URL may carry.
    String description =
        SecretSettings.withoutUserInfo(OtlpExporterFactory.describe(config)) + ", sampling ratio " + config.samplerRatio();
    return new TracingCore(tracer, provider, processor, description, exporter);
  }

  public Tracer tracer() {
    return tracer;
  }

  /** Whether spans are exported at all. */
  public boolean enabled() {
    return provider != null;
  }

  /** The last failed export's line (time, reason, spans dropped), credentials masked; null if none. */
  public String lastExportFailure() {
    return exporter instanceof CountingSpanExporter ? ((CountingSpanExporter) exporter).lastFailureLine() : null;
  }

  public String describe() {
    return description;
  }

  /** Liveness: the export thread runs; details show how far behind it is. Null when off. */
  public HealthCheck exportCheck() {
    if (processor == null) {
      return null;
    }
    return new HealthCheck() {
      @Override
      public String name() {
        return "span-export";
      }

      @Override
      public Kind kind() {
        return Kind.LIVENESS;
      }

      @Override
      public HealthResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queued_spans", processor.queueSize());
        details.put("queue_capacity", MAX_QUEUE_SIZE);
        return processor.isWorkerAlive()
            ? HealthResult.up(details)
            : HealthResult.down("the span export thread is not running", details);
      }
    };
  }

  /** Exports what is queued, waiting at most {@code timeoutMillis}; for the shutdown hook. */
  public void shutdown(long timeoutMillis) {
    if (provider != null) {
      provider.shutdown().join(timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }
}
