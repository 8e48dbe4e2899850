package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.apps.QueryLoopApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.MetricsSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * premain returns before Byte Buddy's transformer is built; a class to weave that loads before it
 * is ready waits for it. QueryLoopApp opens its H2 connection and creates its table in main's first
 * lines, while the agent is still building its weaving: that statement must be woven and counted
 * like every later one.
 */
class EarlyWeavingIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aStatementRunAsTheApplicationStartsIsCountedThoughTheWeavingIsBuiltBesideIt() {
    try (AgentJvm app = AgentJvm.app(QueryLoopApp.class).property("vigil.log.level", "debug").start()) {
      app.awaitLine("query loop started", WAIT);
      app.awaitLine("Start-up phases", WAIT);
      MetricsSnapshot metrics = app.metrics();
      assertEquals(1.0, metrics.value("db_client_operation_duration_seconds_count",
          "db_operation_name", "CREATE", "db_collection_name", "ticks"),
          "the CREATE TABLE of main's first lines is counted");
      List<String> phases = app.outputLines().stream().filter(l -> l.contains("Start-up phases")).toList();
      assertTrue(phases.get(0).contains("weaving and instrumentation start, beside the application"),
          "premain leaves the weaving to the start thread: " + phases);
      assertTrue(app.outputLines().stream().anyMatch(l -> l.contains("Instrumented org.h2.jdbc.JdbcConnection")),
          "H2's connection is woven");
    }
  }
}
