package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.apps.QueryLoopApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trace collector that fails (503) and then disappears altogether: the application goes on at
 * its own pace, the agent counts what it could not deliver and stays live.
 */
class CollectorDownIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aFailingThenVanishedCollectorIsCountedAndNeverHoldsTheApplicationUp() {
    try (OtlpReceiver receiver = new OtlpReceiver();
        AgentJvm app = AgentJvm.app(QueryLoopApp.class).otlp(receiver).start()) {
      app.awaitLine("query loop started", WAIT);
      app.await(() -> app.metrics().value("vigil_agent_spans_exported_total") > 0, WAIT, "spans exported");
      assertTrue(receiver.spans().stream().anyMatch(s -> s.getName().startsWith("SELECT")),
          "the collector received the application's query spans");

      receiver.respondWith(503);
      app.await(() -> app.metrics().value("vigil_agent_export_failures_total") >= 2, WAIT, "export failures counted");
      long before = queriesDone(app);
      app.await(() -> queriesDone(app) >= before + 100, WAIT, "the application keeps running its queries");

      receiver.close();
      double failuresWhileUp = app.metrics().value("vigil_agent_export_failures_total");
      app.await(() -> app.metrics().value("vigil_agent_export_failures_total") >= failuresWhileUp + 2, WAIT,
          "failures counted with no collector listening");
      long stillRunning = queriesDone(app);
      app.await(() -> queriesDone(app) >= stillRunning + 100, WAIT, "the application keeps running its queries");

      MetricsSnapshot metrics = app.metrics();
      assertTrue(metrics.value("vigil_agent_spans_dropped_total") > 0);
      assertEquals(200, app.get("/health/live").status());
      List<String> warnings = app.outputLines().stream().filter(l -> l.contains("Span export failing")).toList();
      assertTrue(warnings.size() >= 1 && warnings.size() <= 2,
          "failures are logged at most once a minute, not once per batch: " + warnings);
    }
  }

  private static long queriesDone(AgentJvm app) {
    List<String> lines = app.outputLines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("queries done: ")) {
        return Long.parseLong(lines.get(i).substring("queries done: ".length()));
      }
    }
    return 0;
  }
}
