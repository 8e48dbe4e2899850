package io.vigil.jdbc;

import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import io.vigil.bootstrap.JdbcTelemetry;
import io.vigil.jdbc.telemetry.JdbcTelemetryHandler;
import io.vigil.jdbc.telemetry.SlowQueryLog;
import java.util.Arrays;
import java.util.List;

/**
 * The jdbc instrumentation: every {@code Statement} / {@code PreparedStatement} / {@code
 * CallableStatement} execution of any driver timed into {@code db_client_operation_duration_seconds},
 * traced as a CLIENT span with sanitized SQL, its {@code SQLException}s counted, slow statements
 * logged. The advice only calls {@link JdbcTelemetry}; {@link JdbcTelemetryHandler} does the work.
 */
public final class JdbcInstrumentationModule implements InstrumentationModule {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.<TypeInstrumentation>asList(new StatementInstrumentation(), new ConnectionInstrumentation());
  }

  @Override
  public void install(AgentContext context) {
    JdbcTelemetry.install(
        new JdbcTelemetryHandler(
            context.registry(),
            context.agentMetrics(),
            context.tracer(),
            context.config().slowQueryThresholdNanos(),
            context.config().jdbcSpanMinDurationNanos(),
            SlowQueryLog.SLF4J,
            JdbcTelemetryHandler.Ticker.SYSTEM,
            context.errors(),
            context.statements()));
  }
}
