package io.vigil.agent.trace.otlp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.trace.TracingCore;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.metrics.AgentMetrics;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces to a collector that speaks only TLS, with a certificate from a private CA, and requires a
 * client certificate: through the SDK's exporter and the agent's sender, compressed, and through
 * an HTTP proxy named by the JVM's standard {@code https.proxyHost} properties.
 */
class CollectorTlsAndProxyTest {

  @TempDir
  static Path dir;

  private static TestCertificates certificates;

  private WireMockServer collector;
  private CollectorRegistry registry;
  private TracingCore tracing;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = new TestCertificates(dir);
  }

  @BeforeEach
  void startCollector() {
    collector = new WireMockServer(options()
        .httpDisabled(true)
        .dynamicHttpsPort()
        .bindAddress("127.0.0.1")
        .keystorePath(certificates.serverKeyStore.toString())
        .keystorePassword(TestCertificates.PASSWORD)
        .keyManagerPassword(TestCertificates.PASSWORD)
        .keystoreType("PKCS12")
        .needClientAuth(true)
        .trustStorePath(certificates.serverTrustStore.toString())
        .trustStorePassword(TestCertificates.PASSWORD)
        .trustStoreType("PKCS12"));
    collector.start();
    collector.stubFor(post(urlEqualTo("/v1/traces")).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stop() {
    if (tracing != null) {
      tracing.shutdown(2000);
    }
    collector.stop();
  }

  @Test
  void aTraceReachesATlsOnlyCollectorWithAPrivateCaAndAClientCertificateGzippedThroughAProxy() throws Exception {
    int port = collector.httpsPort();
    try (TunnelProxy proxy = new TunnelProxy(new InetSocketAddress("127.0.0.1", port))) {
      System.setProperty("https.proxyHost", "127.0.0.1");
      System.setProperty("https.proxyPort", String.valueOf(proxy.port()));
      try {
        start(VigilConfig.builder()
            .otlpEndpoint("https://" + TestCertificates.COLLECTOR_HOST + ":" + port)
            .otlpCompression("gzip")
            .otlpHeaders(Map.of("Authorization", "Bearer t0ken"))
            .otlpCertificate(certificates.caPem.toString())
            .otlpClientTls(certificates.clientCertificatePem.toString(), certificates.clientKeyPem.toString()));
        endSpan("GET /owners/{id}");
        awaitExportedOrFailed();
      } finally {
        System.clearProperty("https.proxyHost");
        System.clearProperty("https.proxyPort");
      }
      assertEquals(1.0, value("vigil_agent_spans_exported_total"));
      assertEquals(List.of(TestCertificates.COLLECTOR_HOST + ":" + port), proxy.tunnels());
    }
    LoggedRequest request = onlyRequest();
    assertEquals("gzip", request.getHeader("Content-Encoding"));
    assertEquals("application/x-protobuf", request.getHeader("Content-Type"));
    assertEquals("Bearer t0ken", request.getHeader("Authorization"));
    // WireMock inflates a gzip body before it records it (and would fail on a broken one): what it
    // kept is the protobuf, and the Content-Length the sender declared is that of other bytes.
    byte[] inflated = request.getBody();
    assertEquals("GET /owners/{id}", spanName(inflated));
    assertTrue(Integer.parseInt(request.getHeader("Content-Length")) != inflated.length, "the body was sent as gzip");
  }

  @Test
  void uncompressedWhenCompressionIsNone() throws Exception {
    start(tlsToLocalhost().otlpCompression("none"));
    endSpan("SELECT owners");
    awaitExportedOrFailed();
    assertEquals(1.0, value("vigil_agent_spans_exported_total"));
    LoggedRequest request = onlyRequest();
    assertNull(request.getHeader("Content-Encoding"));
    assertEquals(request.getBody().length, Integer.parseInt(request.getHeader("Content-Length")));
    assertEquals("SELECT owners", spanName(request.getBody()));
  }

  @Test
  void withoutAClientCertificateTheCollectorRefusesAndTheFailureIsCounted() throws Exception {
    start(tlsToLocalhost().otlpClientTls(null, null));
    endSpan("refused");
    awaitExportedOrFailed();
    assertEquals(1.0, value("vigil_agent_export_failures_total"));
    assertEquals(1.0, value("vigil_agent_spans_dropped_total"));
    assertEquals(0, collector.findAll(postRequestedFor(urlEqualTo("/v1/traces"))).size());
  }

  @Test
  void aCollectorCertificateFromAnotherCaIsNotTrusted() throws Exception {
    start(tlsToLocalhost().otlpCertificate(certificates.otherCaPem.toString()));
    endSpan("untrusted");
    awaitExportedOrFailed();
    assertEquals(1.0, value("vigil_agent_export_failures_total"));
    assertEquals(0, collector.findAll(postRequestedFor(urlEqualTo("/v1/traces"))).size());
  }

  private VigilConfig.Builder tlsToLocalhost() {
    return VigilConfig.builder()
        .otlpEndpoint("https://localhost:" + collector.httpsPort())
        .otlpCertificate(certificates.caPem.toString())
        .otlpClientTls(certificates.clientCertificatePem.toString(), certificates.clientKeyPem.toString());
  }

  private void start(VigilConfig.Builder config) throws Exception {
    registry = new CollectorRegistry(true);
    AgentMetrics metrics = new AgentMetrics(registry, "test", "svc", List.of("servlet"));
    // A refused handshake may surface as a reset connection, which the SDK retries: 2 s bounds it.
    tracing = TracingCore.start(
        config.serviceName("tls-test").otlpTimeoutNanos(TimeUnit.SECONDS.toNanos(2)).build(), metrics, "test", null);
  }

  private void endSpan(String name) {
    tracing.tracer().spanBuilder(name).startSpan().end();
  }

  private void awaitExportedOrFailed() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (value("vigil_agent_spans_exported_total") + value("vigil_agent_export_failures_total") == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the span was neither exported nor counted as failed");
      }
      Thread.sleep(20);
    }
  }

  private LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = collector.findAll(postRequestedFor(urlEqualTo("/v1/traces")));
    assertEquals(1, requests.size());
    return requests.get(0);
  }

  private static String spanName(byte[] protobuf) throws Exception {
    ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(protobuf);
    assertEquals(1, export.getResourceSpansCount());
    assertTrue(export.getResourceSpans(0).getScopeSpans(0).getSpansCount() == 1);
    return export.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName();
  }

  private double value(String name) {
    Double v = registry.getSampleValue(name);
    return v == null ? 0.0 : v;
  }
}
