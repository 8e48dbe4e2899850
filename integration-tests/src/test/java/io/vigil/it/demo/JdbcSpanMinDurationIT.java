package io.vigil.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.DemoApp;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code jdbc.span.min-duration} set above what the demo's statements take: the requests keep
 * their spans, the statements lose theirs, and the database metrics count every statement as
 * without the setting.
 */
class JdbcSpanMinDurationIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void fastStatementsGetNoSpanAndAreStillCountedInTheMetrics() throws Exception {
    int port = FreePort.next();
    try (OtlpReceiver receiver = new OtlpReceiver();
        AgentJvm demo = DemoApp.start(port, receiver, Map.of("vigil.jdbc.span.min-duration", "10s"))) {
      for (int id = 1; id <= 3; id++) {
        assertEquals(200, DemoApp.get(port, "/name/" + id));
      }
      assertEquals(200, DemoApp.get(port, "/owners/1"));
      assertEquals(200, DemoApp.get(port, "/owners/2"));

      demo.await(() -> receiver.spans().stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER
          && s.getName().startsWith("GET /name")).count() == 3, WAIT, "the three /name request spans");
      demo.await(() -> receiver.spans().stream().filter(s -> s.getName().equals("GET /owners/*")).count() == 2, WAIT,
          "the two /owners/{id} request spans");
      MetricsSnapshot metrics = demo.metrics();
      assertEquals(5.0, metrics.value("db_client_operation_duration_seconds_count", "db_system_name", "h2database",
          "db_operation_name", "SELECT", "db_collection_name", "owners"),
          "three /name and two /owners/{id} lookups of an owner");
      assertEquals(2.0, metrics.value("db_client_operation_duration_seconds_count", "db_system_name", "h2database",
          "db_operation_name", "SELECT", "db_collection_name", "pets"));

      // The server spans are exported after the statements ran: had a statement span been made, it
      // would have been queued first and would be here by now.
      List<Span> clients = receiver.spans().stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).toList();
      assertEquals(List.of(), clients, "no statement span under the minimum");
    }
  }
}
