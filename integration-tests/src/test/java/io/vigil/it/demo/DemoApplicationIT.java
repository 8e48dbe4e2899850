package io.vigil.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.DemoApp;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo application as a user runs it: servlet, JDBC and HikariCP together. Its pages show up
 * with their routes, its queries by operation and table, its pool by name, and each query's span
 * is a child of the request's span in the same trace.
 */
class DemoApplicationIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void pagesQueriesAndPoolShowUpAndQuerySpansNestUnderTheRequestSpan() throws Exception {
    int port = FreePort.next();
    try (OtlpReceiver receiver = new OtlpReceiver();
        AgentJvm demo = DemoApp.start(port, receiver)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, DemoApp.get(port, "/owners/" + (i + 1)));
      }
      assertEquals(200, DemoApp.get(port, "/owners"));
      assertEquals(404, DemoApp.get(port, "/owners/42"));

      demo.await(() -> demo.metrics().has("http_server_request_duration_seconds_count",
          "http_route", "/owners/*", "http_response_status_code", "404"), WAIT, "the 404 to be recorded");
      MetricsSnapshot metrics = demo.metrics();
      assertEquals(3.0, metrics.value("http_server_request_duration_seconds_count",
          "http_request_method", "GET", "http_route", "/owners/*", "http_response_status_code", "200"));
      assertEquals(1.0, metrics.value("http_server_request_duration_seconds_count",
          "http_request_method", "GET", "http_route", "/owners", "http_response_status_code", "200"));
      assertFalse(metrics.has("http_server_request_duration_seconds_count", "http_route", "/owners/42"),
          "raw ids never become routes");
      assertTrue(metrics.value("db_client_operation_duration_seconds_count", "db_system_name", "h2database",
          "db_operation_name", "SELECT", "db_collection_name", "owners") >= 4);
      assertTrue(metrics.value("db_client_operation_duration_seconds_count", "db_system_name", "h2database",
          "db_operation_name", "SELECT", "db_collection_name", "pets") >= 3);
      assertEquals(5.0, metrics.value("db_client_connection_max", "db_client_connection_pool_name", "petclinic"));
      assertEquals(200, demo.get("/health/ready").status());

      demo.await(() -> receiver.spans().stream().anyMatch(s -> s.getName().equals("GET /owners")), WAIT,
          "the request spans to arrive");
      List<Span> spans = receiver.spans();
      Span request = spans.stream().filter(s -> s.getName().equals("GET /owners")).findFirst().orElseThrow();
      assertEquals(Span.SpanKind.SPAN_KIND_SERVER, request.getKind());
      List<Span> queries = spans.stream()
          .filter(s -> s.getParentSpanId().equals(request.getSpanId()))
          .toList();
      assertEquals(1, queries.size(), "the owners page runs one query: " + queries);
      Span query = queries.get(0);
      assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, query.getKind());
      assertEquals(request.getTraceId(), query.getTraceId());
      assertEquals("SELECT owners", query.getName());
      String text = query.getAttributesList().stream().filter(a -> a.getKey().equals("db.query.text"))
          .findFirst().orElseThrow().getValue().getStringValue();
      assertEquals("SELECT id, name, city FROM owners ORDER BY name", text);
    }
  }
}
