package io.vigil.benchmarks.export;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.agent.trace.OtlpExporterFactory;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.metrics.AgentMetrics;
import java.io.IOException;

/** The agent's span exporter as {@code TracingCore} builds it, pointed at the benchmark's receiver. */
final class ExporterUnderTest {

  private ExporterUnderTest() {}

  static SpanExporter create(String endpoint, String compression, AgentMetrics metrics) throws IOException {
    VigilConfig config = VigilConfig.builder().otlpEndpoint(endpoint).otlpCompression(compression).build();
    return OtlpExporterFactory.create(config, metrics);
  }
}
