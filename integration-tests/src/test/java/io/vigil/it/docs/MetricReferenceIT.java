package io.vigil.it.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.DemoApp;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricReference;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import io.vigil.it.harness.Sample;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md against a running agent, the other direction of the check that every scrape in
 * the integration tests makes ({@link AgentJvm#metrics()} fails on an undocumented series): every
 * metric the page documents is emitted, with the documented type and exactly the documented
 * labels. The demo application has servlet, JDBC and a HikariCP pool together; its failing page
 * makes {@code vigil_exceptions_total} appear, and a collection the one series that needs a GC.
 */
class MetricReferenceIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void everyDocumentedMetricIsEmittedWithItsTypeAndLabels() throws Exception {
    MetricReference reference = MetricReference.load();
    int port = FreePort.next();
    try (OtlpReceiver receiver = new OtlpReceiver();
        // Sentry forwarding on, towards a port nobody listens on, so its counters are emitted too.
        AgentJvm demo = DemoApp.start(port, receiver,
            Map.of("vigil.errors.sentry.dsn", "http://publickey@127.0.0.1:" + FreePort.next() + "/42"))) {
      for (String page : List.of("/owners", "/owners/1", "/visits", "/fail", "/missing/page")) {
        // The status does not matter here: the failing page's 500 and the 404 are what is wanted.
        DemoApp.get(port, page);
      }
      // jvm_memory_pool_allocated_bytes_total starts counting at the first collection.
      collectGarbage(demo.pid());

      // Gauges read at scrape time and the collectors' series may take a moment after the pages.
      Set<String> missing = new TreeSet<>(reference.metrics().keySet());
      long deadline = System.nanoTime() + WAIT.toNanos();
      MetricsSnapshot scrape = demo.metrics();
      while (true) {
        missing.removeIf(scrape.types()::containsKey);
        if (missing.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(200);
        scrape = demo.metrics();
      }
      assertEquals(Set.of(), missing, "documented in " + MetricReference.FILE + " but not emitted");

      for (MetricReference.Metric metric : reference.metrics().values()) {
        assertEquals(metric.type(), scrape.types().get(metric.name()), "type of " + metric.name());
        Set<String> labels = new TreeSet<>();
        for (Sample sample : scrape.samples()) {
          if (metric.series(false).contains(sample.name())) {
            labels.addAll(sample.labels().keySet());
          }
        }
        labels.remove("le");
        assertEquals(metric.labels(), labels, "labels of " + metric.name());
      }
    }
  }

  @Test
  void aScrapeWithAnUndocumentedSeriesOrLabelFails() {
    MetricReference reference = MetricReference.load();
    Sample documented = new Sample("vigil_agent_instrumentation_errors_total", Map.of("instrumentation", "jdbc"), 0, null);
    Sample bucket = new Sample("http_server_request_duration_seconds_bucket", Map.of("http_request_method", "GET",
        "http_route", "/a", "http_response_status_code", "200", "error_type", "", "le", "0.1"), 1, null);
    reference.assertDocuments(new MetricsSnapshot(List.of(documented, bucket), Map.of()));

    Sample unknown = new Sample("vigil_agent_something_new_total", Map.of(), 1, null);
    AssertionError undocumented = assertThrows(AssertionError.class,
        () -> reference.assertDocuments(new MetricsSnapshot(List.of(documented, unknown), Map.of())));
    assertTrue(undocumented.getMessage().contains("vigil_agent_something_new_total is not documented"),
        undocumented.getMessage());

    Sample extraLabel = new Sample("vigil_agent_spans_dropped_total", Map.of("reason", "queue_full"), 1, null);
    AssertionError label = assertThrows(AssertionError.class,
        () -> reference.assertDocuments(new MetricsSnapshot(List.of(extraLabel), Map.of())));
    assertTrue(label.getMessage().contains("has the label reason"), label.getMessage());
  }

  private static void collectGarbage(long pid) throws Exception {
    Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
    String out = new String(gc.getInputStream().readAllBytes());
    assertEquals(0, gc.waitFor(), "jcmd GC.run: " + out);
  }
}
