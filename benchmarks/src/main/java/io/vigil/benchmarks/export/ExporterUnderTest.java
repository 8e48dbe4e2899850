package io.vigil.benchmarks.export;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.agent.trace.OtlpSpanExporter;
import io.vigil.agent.trace.otlp.OtlpHttpTransport;
import io.vigil.api.metrics.AgentMetrics;
import java.io.IOException;
import java.util.Collections;

/** The agent's span exporter as {@code TracingCore} builds it, pointed at the benchmark's receiver. */
final class ExporterUnderTest {

  private ExporterUnderTest() {}

  static SpanExporter create(String endpoint, AgentMetrics metrics) throws IOException {
    return new OtlpSpanExporter(new OtlpHttpTransport(endpoint, Collections.<String, String>emptyMap(), 10_000), metrics);
  }
}
