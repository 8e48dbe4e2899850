package io.vigil.jdbc.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.WallClock;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.StatementTotals;
import io.vigil.bootstrap.JdbcTelemetry;
import io.vigil.jdbc.sql.DbConnectionInfo;
import io.vigil.jdbc.sql.JdbcUrlParser;
import io.vigil.jdbc.sql.SanitizedSql;
import io.vigil.jdbc.sql.SqlSanitizer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The agent side of {@link JdbcTelemetry}: times, counts and traces each outermost JDBC execution.
 * Plain Java with no weaving, so tests drive it directly with real drivers.
 *
 * <p>Per execution:
 *
 * <ul>
 *   <li>{@code db_client_operation_duration_seconds} observed once, with the system from the
 *       connection's JDBC URL and the operation and table of the sanitized SQL;
 *   <li>a CLIENT span, child of the current context, named {@code "{operation} {table}"}, with the
 *       semantic conventions' {@code db.*} and {@code server.*} attributes; an error sets {@code
 *       error.type}, the ERROR status and an {@code exception} event that carries the exception type
 *       and stack frames but never its message, which drivers fill with SQL text and bind values;
 *   <li>{@code vigil_exceptions_total{source="jdbc"}} for an {@link SQLException};
 *   <li>over the slow-query threshold: a {@code db.slow_query} span event and one log line.
 * </ul>
 *
 * <p>With a minimum span duration ({@code jdbc.span.min-duration}), no span is started with the
 * statement: when it ends faster than that, without an error and under the slow-query threshold,
 * only the metrics above are recorded; otherwise its span is built then, backdated to its start.
 *
 * <p>Caches, all bounded: the connection's target (URL read once per physical connection with
 * {@code getMetaData().getURL()}, a pool's proxy connection resolved through {@code unwrap}), each
 * prepared statement's sanitized SQL, and per system the sanitized statements and their histogram
 * children. Application objects are only ever held weakly. Thread-safe; the hot path takes no lock.
 */
public final class JdbcTelemetryHandler implements JdbcTelemetry.Handler {

  /** Monotonic nanoseconds; a parameter so that tests need no sleeps. */
  public interface Ticker {
    long nanoTime();

    Ticker SYSTEM =
        new Ticker() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }
        };
  }

  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  static final AttributeKey<Double> SLOW_DURATION_MS = AttributeKey.doubleKey("db.duration_ms");
  static final AttributeKey<Double> SLOW_THRESHOLD_MS = AttributeKey.doubleKey("vigil.slow_query.threshold_ms");

  static final String SLOW_QUERY_EVENT = "db.slow_query";
  static final String SOURCE = "jdbc";

  /** Physical connections whose target is cached. */
  static final int MAX_CONNECTIONS = 8192;

  /** Statements whose prepared SQL or batch is remembered. */
  static final int MAX_STATEMENTS = 65536;

  /**
   * Slots in front of the statement and connection maps: more than the statements and borrowed
   * connections usually open at once, so that preparing, executing and closing one writes no map.
   */
  static final int STATEMENT_SLOTS = 1024;
  static final int CONNECTION_SLOTS = 256;

  private static final int MAX_STACK_FRAMES = 64;

  private final DbClientMetrics metrics;
  private final AgentMetrics agentMetrics;
  private final Tracer tracer;
  private final boolean tracing;
  private final long slowThresholdNanos;
  private final long spanMinDurationNanos;
  private final SlowQueryLog slowLog;
  private final Ticker ticker;
  private final ErrorTracker errors;
  private final StatementTotals statementTotals;
  private final ConcurrentHashMap<String, DbSystem> systems = new ConcurrentHashMap<String, DbSystem>();
  private final WeakIdentityMap<Object, ConnectionTarget> connections =
      new WeakIdentityMap<Object, ConnectionTarget>(MAX_CONNECTIONS, CONNECTION_SLOTS);
  private final WeakIdentityMap<Object, StatementState> statements =
      new WeakIdentityMap<Object, StatementState>(MAX_STATEMENTS, STATEMENT_SLOTS);
  private final ConnectionTarget unknownTarget;

  public JdbcTelemetryHandler(
      CollectorRegistry registry, AgentMetrics agentMetrics, Tracer tracer, long slowThresholdNanos) {
    this(registry, agentMetrics, tracer, slowThresholdNanos, SlowQueryLog.SLF4J, Ticker.SYSTEM, ErrorTracker.NOOP);
  }

  public JdbcTelemetryHandler(
      CollectorRegistry registry,
      AgentMetrics agentMetrics,
      Tracer tracer,
      long slowThresholdNanos,
      SlowQueryLog slowLog,
      Ticker ticker) {
    this(registry, agentMetrics, tracer, slowThresholdNanos, slowLog, ticker, ErrorTracker.NOOP);
  }

  public JdbcTelemetryHandler(
      CollectorRegistry registry,
      AgentMetrics agentMetrics,
      Tracer tracer,
      long slowThresholdNanos,
      SlowQueryLog slowLog,
      Ticker ticker,
      ErrorTracker errors) {
    this(registry, agentMetrics, tracer, slowThresholdNanos, 0, slowLog, ticker, errors);
  }

  /**
   * @param spanMinDurationNanos statements that end faster than this, without an error, get no
   *     span; their metrics are recorded all the same. 0 traces every statement.
   */
  public JdbcTelemetryHandler(
      CollectorRegistry registry,
      AgentMetrics agentMetrics,
      Tracer tracer,
      long slowThresholdNanos,
      long spanMinDurationNanos,
      SlowQueryLog slowLog,
      Ticker ticker,
      ErrorTracker errors) {
    this(registry, agentMetrics, tracer, slowThresholdNanos, spanMinDurationNanos, slowLog, ticker, errors,
        new StatementTotals(StatementTotals.DEFAULT_MAX_STATEMENTS));
  }

  /** @param statementTotals where each execution is also totalled per sanitized statement */
  public JdbcTelemetryHandler(
      CollectorRegistry registry,
      AgentMetrics agentMetrics,
      Tracer tracer,
      long slowThresholdNanos,
      long spanMinDurationNanos,
      SlowQueryLog slowLog,
      Ticker ticker,
      ErrorTracker errors,
      StatementTotals statementTotals) {
    this.statementTotals = statementTotals;
    this.metrics = new DbClientMetrics(registry, agentMetrics);
    this.agentMetrics = agentMetrics;
    this.tracer = tracer;
    // TracerProvider.noop() hands out one shared tracer; anything else is taken to trace.
    this.tracing = tracer != TracerProvider.noop().get("io.vigil");
    this.slowThresholdNanos = slowThresholdNanos;
    this.spanMinDurationNanos = spanMinDurationNanos;
    this.slowLog = slowLog;
    this.ticker = ticker;
    this.errors = errors;
    DbConnectionInfo unknown = JdbcUrlParser.parse(null);
    this.unknownTarget = new ConnectionTarget(unknown, system(unknown.systemName()));
  }

  @Override
  public Object start(Object statement, String sql) {
    ConnectionTarget target = targetOf(statement);
    return begin(target, target.system.sqlCache.sanitize(sql), 0);
  }

  @Override
  public Object startPrepared(Object statement) {
    StatementState state = statements.get(statement);
    if (state != null && state.sql != null) {
      return begin(state.target, state.sql, 0);
    }
    // Prepared before the agent attached, or the statement map was full: time it all the same.
    ConnectionTarget target = targetOf(statement);
    return begin(target, target.system.sqlCache.sanitize(null), 0);
  }

  @Override
  public Object startBatch(Object statement) {
    StatementState state = statements.get(statement);
    if (state == null) {
      return begin(targetOf(statement), SqlSanitizer.batch(null), 0);
    }
    int count = state.batchCount;
    List<String> texts = state.batchTexts;
    // A batch is gone once executed, whatever the outcome (JDBC resets it too).
    state.clearBatch();
    if (state.sql != null) {
      return begin(state.target, count >= 2 ? state.preparedBatch() : state.sql, count);
    }
    ConnectionTarget target = targetOf(statement);
    SanitizedSql sql;
    if (texts == null) {
      sql = SqlSanitizer.batch(null);
    } else {
      List<SanitizedSql> sanitized = new ArrayList<SanitizedSql>(texts.size());
      for (String text : texts) {
        sanitized.add(target.system.sqlCache.sanitize(text));
      }
      sql = SqlSanitizer.batch(sanitized);
    }
    return begin(target, sql, count);
  }

  @Override
  public void prepared(Object connection, Object statement, String sql) {
    ConnectionTarget target = targetOfConnection((Connection) connection);
    statements.put(statement, new StatementState(target, target.system.sqlCache.sanitize(sql)));
  }

  @Override
  public void addBatch(Object statement, String sql) {
    StatementState state = statements.get(statement);
    if (state == null) {
      state = new StatementState(null, null);
      if (!statements.put(statement, state)) {
        return;
      }
    }
    state.added(sql);
  }

  @Override
  public void clearBatch(Object statement) {
    StatementState state = statements.get(statement);
    if (state != null) {
      state.clearBatch();
    }
  }

  @Override
  public void closed(Object statement) {
    statements.remove(statement);
  }

  @Override
  public void end(Object state, Throwable error) {
    Execution execution = (Execution) state;
    long nanos = ticker.nanoTime() - execution.startNanos;
    DbSystem system = execution.target.system;
    SanitizedSql sql = execution.sql;
    String errorType = null;
    StatementRecorder statement = system.statement(sql);
    statement.totals.record(nanos, error != null);
    if (error == null) {
      statement.success.observe(nanos / 1e9);
    } else {
      errorType = error.getClass().getName();
      system.errorChild(sql, errorType).observe(nanos / 1e9);
      if (error instanceof SQLException) {
        agentMetrics.exception(errorType, SOURCE);
      }
    }
    Span span = execution.span;
    // The invalid span is "none of its own": the caller's span gives the ids and is never ended here.
    boolean ownSpan = span != Span.getInvalid();
    if (!ownSpan) {
      span = Span.current();
    }
    long endEpochNanos = 0;
    if (span == null) {
      if (error == null && nanos < spanMinDurationNanos && nanos < slowThresholdNanos) {
        return;
      }
      // Kept after all: the span is built now, backdated to when the statement started.
      endEpochNanos = WallClock.epochNanos();
      span = spanBuilder(execution.target, sql, execution.batchSize)
          .setStartTimestamp(endEpochNanos - nanos, TimeUnit.NANOSECONDS)
          .startSpan();
    }
    if (error instanceof SQLException) {
      SpanContext context = span.getSpanContext();
      errors.jdbcError(
          error, context.isValid() ? context.getTraceId() : null, context.isValid() ? context.getSpanId() : null);
    }
    if (errorType != null) {
      recordError(span, error, errorType);
    }
    if (nanos >= slowThresholdNanos) {
      slowQuery(execution, span, nanos);
    }
    if (!ownSpan) {
      return;
    }
    if (endEpochNanos != 0) {
      span.end(endEpochNanos, TimeUnit.NANOSECONDS);
    } else {
      span.end();
    }
  }

  private Execution begin(ConnectionTarget target, SanitizedSql sql, int batchSize) {
    if (!tracing) {
      // traces.enabled=false: a no-op span would only carry the caller's ids, which end() reads
      // from the context instead.
      return new Execution(target, sql, batchSize, ticker.nanoTime(), Span.getInvalid());
    }
    if (spanMinDurationNanos > 0) {
      // The span waits for the statement's end, when its duration says whether it is kept.
      return new Execution(target, sql, batchSize, ticker.nanoTime(), null);
    }
    Span span = spanBuilder(target, sql, batchSize).startSpan();
    // The clock is read last so that building the span is not billed to the database.
    return new Execution(target, sql, batchSize, ticker.nanoTime(), span);
  }

  private SpanBuilder spanBuilder(ConnectionTarget target, SanitizedSql sql, int batchSize) {
    DbConnectionInfo info = target.info;
    String spanName = sql.spanName();
    SpanBuilder builder =
        tracer
            .spanBuilder(spanName != null ? spanName : target.fallbackSpanName)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(DB_SYSTEM_NAME, info.systemName());
    if (info.namespace() != null) {
      builder.setAttribute(DB_NAMESPACE, info.namespace());
    }
    if (!sql.text().isEmpty()) {
      builder.setAttribute(DB_QUERY_TEXT, sql.text());
    }
    if (sql.operation() != null) {
      builder.setAttribute(DB_OPERATION_NAME, sql.operation());
    }
    if (sql.collection() != null) {
      builder.setAttribute(DB_COLLECTION_NAME, sql.collection());
    }
    if (batchSize >= 2) {
      // The conventions count only two or more operations as a batch.
      builder.setAttribute(DB_BATCH_SIZE, (long) batchSize);
    }
    if (info.serverAddress() != null) {
      builder.setAttribute(SERVER_ADDRESS, info.serverAddress());
    }
    if (info.serverPortAttribute() != null) {
      builder.setAttribute(SERVER_PORT, info.serverPortAttribute());
    }
    return builder;
  }

  private static void recordError(Span span, Throwable error, String errorType) {
    if (!span.isRecording()) {
      return;
    }
    span.setAttribute(ERROR_TYPE, errorType);
    if (error instanceof SQLException) {
      String sqlState = ((SQLException) error).getSQLState();
      if (sqlState != null) {
        span.setAttribute(DB_RESPONSE_STATUS_CODE, sqlState);
      }
    }
    span.addEvent(
        "exception",
        Attributes.of(EXCEPTION_TYPE, errorType, EXCEPTION_STACKTRACE, stackTraceWithoutMessages(error)));
    span.setStatus(StatusCode.ERROR);
  }

  /**
   * The stack trace as {@code printStackTrace} writes it, but with class names where it writes
   * messages: a driver's message may quote the statement with its literals or a bind value.
   */
  static String stackTraceWithoutMessages(Throwable error) {
    StringBuilder text = new StringBuilder(256);
    Throwable current = error;
    int depth = 0;
    while (current != null && depth < 5) {
      if (depth > 0) {
        text.append("Caused by: ");
      }
      text.append(current.getClass().getName()).append('\n');
      StackTraceElement[] frames = current.getStackTrace();
      int shown = Math.min(frames.length, MAX_STACK_FRAMES);
      for (int i = 0; i < shown; i++) {
        text.append("\tat ").append(frames[i]).append('\n');
      }
      if (frames.length > shown) {
        text.append("\t... ").append(frames.length - shown).append(" more\n");
      }
      Throwable cause = current.getCause();
      current = cause == current ? null : cause;
      depth++;
    }
    return text.toString();
  }

  private void slowQuery(Execution execution, Span span, long nanos) {
    SpanContext context = span.getSpanContext();
    String traceId = context.isValid() ? context.getTraceId() : null;
    String spanId = context.isValid() ? context.getSpanId() : null;
    if (span.isRecording()) {
      span.addEvent(
          SLOW_QUERY_EVENT,
          Attributes.of(
              SLOW_DURATION_MS, nanos / 1_000_000.0, SLOW_THRESHOLD_MS, slowThresholdNanos / 1_000_000.0));
    }
    DbConnectionInfo info = execution.target.info;
    slowLog.slowQuery(
        info.systemName(), info.namespace(), execution.sql.text(), nanos, slowThresholdNanos, traceId, spanId);
  }

  private ConnectionTarget targetOf(Object statement) {
    Connection connection;
    try {
      connection = ((Statement) statement).getConnection();
    } catch (Throwable t) {
      // A closed statement: the execution will fail and is still counted.
      return unknownTarget;
    }
    return targetOfConnection(connection);
  }

  /**
   * The connection's target, from the cache or, once per physical connection, from its JDBC URL. A
   * pool hands out a new proxy per borrow: the proxy is unwrapped to the physical connection, whose
   * cached target is found without asking the database's metadata again. Only physical connections
   * are remembered: remembering every borrow's proxy wrote the map on every borrow, and the proxies
   * of earlier borrows, unreachable but not yet collected, filled its table, so that every lookup
   * went to the map behind it.
   */
  ConnectionTarget targetOfConnection(Connection connection) {
    if (connection == null) {
      return unknownTarget;
    }
    ConnectionTarget target = connections.get(connection);
    if (target != null) {
      return target;
    }
    Connection physical = unwrap(connection);
    if (physical != connection) {
      target = connections.get(physical);
      if (target != null) {
        return target;
      }
    }
    DbConnectionInfo info = JdbcUrlParser.parse(urlOf(physical));
    if (info.systemName().equals(DbConnectionInfo.OTHER_SQL) && physical != connection) {
      info = JdbcUrlParser.parse(urlOf(connection));
    }
    target = new ConnectionTarget(info, system(info.systemName()));
    connections.put(physical, target);
    return target;
  }

  private DbSystem system(String name) {
    DbSystem system = systems.get(name);
    if (system == null) {
      DbSystem created = new DbSystem(name, metrics, statementTotals);
      system = systems.putIfAbsent(name, created);
      if (system == null) {
        system = created;
      }
    }
    return system;
  }

  private static Connection unwrap(Connection connection) {
    try {
      Connection inner = connection.unwrap(Connection.class);
      return inner == null ? connection : inner;
    } catch (Throwable t) {
      return connection;
    }
  }

  private static String urlOf(Connection connection) {
    try {
      return connection.getMetaData().getURL();
    } catch (Throwable t) {
      return null;
    }
  }

  /** For tests: statements and connections currently remembered. */
  int rememberedStatements() {
    statements.expunge();
    return statements.size();
  }

  int rememberedConnections() {
    connections.expunge();
    return connections.size();
  }
}
