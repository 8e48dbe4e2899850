package io.vigil.jdbc.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.trace.TracerProvider;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.StatementTotals;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every execution also lands in the totals of its sanitized statement, whatever the raw text was. */
class StatementTotalsRecordingTest {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final StatementTotals totals = new StatementTotals(2);
  private final JdbcTelemetryHandler handler = new JdbcTelemetryHandler(registry,
      new AgentMetrics(registry, "test", "svc", List.of("jdbc")), TracerProvider.noop().get("test"),
      Long.MAX_VALUE, 0, SlowQueryLog.SLF4J, now::get, ErrorTracker.NOOP, totals);
  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:h2:mem:totals;DB_CLOSE_DELAY=-1", "sa", "");
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  private void execute(Object statement, String sql, long nanos, Throwable error) {
    Object state = handler.start(statement, sql);
    now.addAndGet(nanos);
    handler.end(state, error);
  }

  private StatementTotals.Statement only(String text) {
    return totals.all().stream().filter(s -> s.text().equals(text)).findFirst().orElseThrow(AssertionError::new);
  }

  @Test
  void literalsDifferButTheSanitizedStatementIsOneEntry() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      execute(statement, "SELECT * FROM owners WHERE id = 1", 2_000_000, null);
      execute(statement, "SELECT * FROM owners WHERE id = 2", 3_000_000, null);
      execute(statement, "SELECT * FROM owners WHERE id = 3", 5_000_000, new SQLException("gone"));
    }
    StatementTotals.Statement select = only("SELECT * FROM owners WHERE id = ?");
    assertEquals(3, select.count());
    assertEquals(1, select.errors());
    assertEquals(10_000_000, select.nanos());
    assertEquals("h2database", select.system());
    assertEquals("SELECT", select.operation());
    assertEquals("owners", select.collection());
  }

  @Test
  void preparedExecutionsCountAgainstTheirPreparedText() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT 1")) {
      handler.prepared(connection, ps, "UPDATE pets SET name = ? WHERE id = ?");
      for (int i = 0; i < 7; i++) {
        Object state = handler.startPrepared(ps);
        now.addAndGet(1_000);
        handler.end(state, null);
      }
    }
    assertEquals(7, only("UPDATE pets SET name = ? WHERE id = ?").count());
    assertEquals(7_000, only("UPDATE pets SET name = ? WHERE id = ?").nanos());
  }

  @Test
  void statementsPastTheCapFoldIntoOther() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      execute(statement, "SELECT a FROM t1", 1, null);
      execute(statement, "SELECT a FROM t2", 1, null);
      execute(statement, "SELECT a FROM t3", 1, null);
      execute(statement, "SELECT a FROM t4", 1, null);
    }
    assertEquals(3, totals.all().size());
    assertEquals(2, only(StatementTotals.OTHER).count());
  }
}
