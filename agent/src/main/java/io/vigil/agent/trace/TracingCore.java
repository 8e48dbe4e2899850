package io.vigil.agent.trace;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
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
 * Vigil's tracer ({@link AgentTracer}: the SDK's resource and parent-based trace-id-ratio sampler)
 * and the bounded batch processor in front of the SDK's OTLP exporter.
 * With {@code traces.enabled=false} everything here is the API's no-op.
 */
public final class TracingCore {

  static final int MAX_QUEUE_SIZE = 2048;
  static final int MAX_BATCH_SIZE = 512;
  static final long SCHEDULE_DELAY_MILLIS = 1000;

  private final Tracer tracer;
  private final BoundedSpanProcessor processor;
  private final String description;
  private final SpanExporter exporter;

  private TracingCore(Tracer tracer, BoundedSpanProcessor processor, String description, SpanExporter exporter) {
    this.exporter = exporter;
    this.tracer = tracer;
    this.processor = processor;
    this.description = description;
  }

  public static TracingCore disabled() {
    return new TracingCore(TracerProvider.noop().get("io.vigil"), null, "off", null);
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
    Tracer tracer = new AgentTracer(
        ResourceFactory.create(config, agentVersion, serviceVersion),
        agentVersion,
        Sampler.parentBased(Sampler.traceIdRatioBased(config.samplerRatio())),
        processor);
    // The start-up line shows the endpoint: never the user information a URL may carry.
    String description =
        SecretSettings.withoutUserInfo(OtlpExporterFactory.describe(config)) + ", sampling ratio " + config.samplerRatio();
    return new TracingCore(tracer, processor, description, exporter);
  }

  public Tracer tracer() {
    return tracer;
  }

  /** Whether spans are exported at all. */
  public boolean enabled() {
    return processor != null;
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
    if (processor != null) {
      processor.shutdown().join(timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }
}
