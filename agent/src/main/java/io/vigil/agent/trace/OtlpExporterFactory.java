package io.vigil.agent.trace;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.agent.logging.SdkLogBridge;
import io.vigil.agent.trace.otlp.UrlConnectionHttpSenderProvider;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.metrics.AgentMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;

/**
 * The SDK's OTLP http/protobuf span exporter, configured from the {@code otlp.*} settings and
 * sending through Vigil's {@code HttpURLConnection} sender, wrapped in the counting exporter. The
 * SDK does the protocol: serialization with reused marshalers ({@link MemoryMode#REUSABLE_DATA}),
 * gzip, TLS material from PEM, retries with back-off, and reading the collector's error answers.
 */
public final class OtlpExporterFactory {

  private OtlpExporterFactory() {}

  public static SpanExporter create(VigilConfig config, AgentMetrics metrics) throws IOException {
    SdkLogBridge.install();
    String url = tracesUrl(config.otlpEndpoint());
    UrlConnectionHttpSenderProvider sender = new UrlConnectionHttpSenderProvider();
    OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
        // First: setCompression looks its compressor up through this loader.
        .setComponentLoader(sender)
        .setEndpoint(url)
        .setCompression(config.otlpCompression())
        .setTimeout(Duration.ofNanos(config.otlpTimeoutNanos()))
        .setMemoryMode(MemoryMode.REUSABLE_DATA)
        // The exporter's self-metrics would go to the global meter provider, which the agent never
        // sets; say so instead of having the exporter look it up.
        .setMeterProvider(MeterProvider::noop);
    for (Map.Entry<String, String> header : config.otlpHeaders().entrySet()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    if (config.otlpCertificate() != null) {
      builder.setTrustedCertificates(Files.readAllBytes(Paths.get(config.otlpCertificate())));
    }
    if (config.otlpClientCertificate() != null) {
      builder.setClientTls(
          Files.readAllBytes(Paths.get(config.otlpClientKey())),
          Files.readAllBytes(Paths.get(config.otlpClientCertificate())));
    }
    return new CountingSpanExporter(builder.build(), metrics, sender::lastFailure, url);
  }

  /**
   * {@code /v1/traces} appended to the base endpoint unless it already names it, as the
   * specification says for {@code OTEL_EXPORTER_OTLP_ENDPOINT}.
   */
  static String tracesUrl(String endpoint) {
    String base = endpoint.trim();
    if (base.endsWith("/v1/traces")) {
      return base;
    }
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
  }

  /** Where and how spans go, for the start-up line; never the headers, which may hold a token. */
  static String describe(VigilConfig config) {
    StringBuilder d = new StringBuilder(tracesUrl(config.otlpEndpoint())).append(" (http/protobuf)");
    d.append(", compression ").append(config.otlpCompression());
    if (config.otlpCertificate() != null) {
      d.append(", CA ").append(config.otlpCertificate());
    }
    if (config.otlpClientCertificate() != null) {
      d.append(", client certificate ").append(config.otlpClientCertificate());
    }
    return d.toString();
  }
}
