package io.vigil.agent.trace;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.metrics.AgentMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real SDK, processor, OTLP exporter and the agent's HTTP sender against a real HTTP receiver:
 * spans arrive as OTLP protobuf, and a failing or vanished collector is counted, after the SDK's
 * retries, while the caller never waits.
 */
class SpanExportPipelineTest {

  private WireMockServer receiver;
  private CollectorRegistry registry;
  private AgentMetrics metrics;
  private TracingCore tracing;

  @BeforeEach
  void start() throws Exception {
    receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    receiver.start();
    answer(200);
    startTracing(10_000);
  }

  /** The exporter's timeout bounds one export, retries included. */
  private void startTracing(long timeoutMillis) throws Exception {
    if (tracing != null) {
      tracing.shutdown(2000);
    }
    registry = new CollectorRegistry(true);
    metrics = new AgentMetrics(registry, "test", "svc", List.of("servlet"));
    VigilConfig config = VigilConfig.builder()
        .serviceName("pipeline-test")
        .resourceAttributes(java.util.Map.of("deployment.environment", "test"))
        .otlpEndpoint("http://127.0.0.1:" + receiver.port())
        .otlpHeaders(java.util.Map.of("x-tenant", "t1"))
        .otlpTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(timeoutMillis))
        .build();
    tracing = TracingCore.start(config, metrics, "test-version", null);
  }

  @AfterEach
  void stop() {
    tracing.shutdown(2000);
    receiver.stop();
  }

  @Test
  void sampledSpansArriveAsOtlpWithTheResource() throws Exception {
    endSpans(3);
    awaitValue("vigil_agent_spans_exported_total", 3);

    List<ExportTraceServiceRequest> requests = received();
    ResourceSpans resourceSpans = requests.get(0).getResourceSpans(0);
    assertEquals("pipeline-test", attribute(resourceSpans, "service.name"));
    assertEquals("test", attribute(resourceSpans, "deployment.environment"));
    assertEquals("vigil", attribute(resourceSpans, "telemetry.distro.name"));
    assertEquals("opentelemetry", attribute(resourceSpans, "telemetry.sdk.name"));
    assertEquals(3, requests.stream().mapToInt(r -> r.getResourceSpans(0).getScopeSpans(0).getSpansCount()).sum());
    receiver.verify(postRequestedFor(urlEqualTo("/v1/traces")).withHeader("x-tenant",
        com.github.tomakehurst.wiremock.client.WireMock.equalTo("t1")));
    assertEquals(0.0, value("vigil_agent_export_failures_total"));
  }

  @Test
  void batchAfterBatchThroughTheReusedMarshalerEverySpanArrivesWhole() throws Exception {
    Tracer tracer = tracing.tracer();
    int batches = 3;
    int perBatch = TracingCore.MAX_BATCH_SIZE + 7;
    for (int b = 0; b < batches; b++) {
      for (int i = 0; i < perBatch; i++) {
        Span span = tracer.spanBuilder("b" + b + "-op-" + i).startSpan();
        span.setAttribute("db.query.text", "SELECT * FROM t WHERE id = ?" + "x".repeat(i % 40));
        span.setAttribute("index", (long) i);
        span.addEvent("slow query");
        span.end();
      }
      awaitValue("vigil_agent_spans_exported_total", (b + 1) * perBatch);
    }

    java.util.Map<String, io.opentelemetry.proto.trace.v1.Span> byName = new java.util.HashMap<>();
    for (ExportTraceServiceRequest request : received()) {
      for (io.opentelemetry.proto.trace.v1.Span span : request.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
        assertEquals(null, byName.put(span.getName(), span), "twice: " + span.getName());
      }
    }
    assertEquals(batches * perBatch, byName.size());
    io.opentelemetry.proto.trace.v1.Span last = byName.get("b2-op-" + (perBatch - 1));
    assertEquals("SELECT * FROM t WHERE id = ?" + "x".repeat((perBatch - 1) % 40),
        last.getAttributes(0).getValue().getStringValue());
    assertEquals(perBatch - 1, last.getAttributes(1).getValue().getIntValue());
    assertEquals("slow query", last.getEvents(0).getName());
    assertEquals(16, last.getTraceId().size());
  }

  @Test
  void aCollectorAnswering503AndThenGoneIsCountedAndNeverBlocksTheCaller() throws Exception {
    answer(503);
    long start = System.nanoTime();
    endSpans(5);
    long callerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    awaitValue("vigil_agent_export_failures_total", 1);
    assertEquals(5.0, value("vigil_agent_spans_dropped_total"));
    assertEquals(0.0, value("vigil_agent_spans_exported_total"));
    // The SDK's default retry policy: five attempts, backing off 1 s, 1.5 s, 2.25 s, 3.4 s (each
    // ±20 %), which fits the 10 s export timeout.
    assertEquals(5, receiver.findAll(postRequestedFor(urlEqualTo("/v1/traces"))).size());

    receiver.stop();
    endSpans(4);
    awaitValue("vigil_agent_export_failures_total", 2);
    assertEquals(9.0, value("vigil_agent_spans_dropped_total"));
    assertTrue(callerMillis < 1000, "ending spans took " + callerMillis + " ms");
  }

  @Test
  void aNonRetryableAnswerIsNotRetried() throws Exception {
    answer(400);
    endSpans(2);
    awaitValue("vigil_agent_export_failures_total", 1);
    assertEquals(1, receiver.findAll(postRequestedFor(urlEqualTo("/v1/traces"))).size());
    assertEquals(2.0, value("vigil_agent_spans_dropped_total"));
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfGrowing() throws Exception {
    startTracing(1000); // each batch gives up after 1 s instead of 10
    receiver.stop(); // every export fails slowly enough for the queue to fill behind it
    int offered = TracingCore.MAX_QUEUE_SIZE * 3;
    endSpans(offered);
    awaitCondition(() -> value("vigil_agent_spans_dropped_total") == offered, "all spans counted as dropped");
    assertEquals(0.0, value("vigil_agent_spans_exported_total"));
  }

  private void endSpans(int count) {
    Tracer tracer = tracing.tracer();
    for (int i = 0; i < count; i++) {
      Span span = tracer.spanBuilder("op-" + i).startSpan();
      span.end();
    }
  }

  private void answer(int status) {
    receiver.resetMappings();
    receiver.stubFor(post(urlEqualTo("/v1/traces")).willReturn(aResponse().withStatus(status)));
  }

  private List<ExportTraceServiceRequest> received() {
    return receiver.findAll(postRequestedFor(urlEqualTo("/v1/traces"))).stream().map(r -> {
      try {
        // WireMock records a gzip body inflated.
        return ExportTraceServiceRequest.parseFrom(r.getBody());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  private static String attribute(ResourceSpans spans, String key) {
    return spans.getResource().getAttributesList().stream()
        .filter(a -> a.getKey().equals(key)).findFirst()
        .map(a -> a.getValue().getStringValue()).orElse(null);
  }

  private double value(String name) {
    Double v = registry.getSampleValue(name);
    return v == null ? 0.0 : v;
  }

  private void awaitValue(String name, double expected) throws InterruptedException {
    awaitCondition(() -> value(name) >= expected, name + " >= " + expected);
    assertEquals(expected, value(name), name);
  }

  private void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
