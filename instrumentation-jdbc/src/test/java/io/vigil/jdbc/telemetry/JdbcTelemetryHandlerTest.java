package io.vigil.jdbc.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.metrics.AgentMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import io.vigil.api.errors.ErrorTracker;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler without any weaving: real H2 connections, a fresh registry, the OTel SDK. */
class JdbcTelemetryHandlerTest {

  private static final String[] LABELS = {"db_system_name", "db_operation_name", "db_collection_name", "error_type"};
  private static final long THRESHOLD = 10_000_000L;

  private final CollectorRegistry registry = new CollectorRegistry();
  private final AgentMetrics agentMetrics = new AgentMetrics(registry, "test", "svc", List.of("jdbc"));
  private final CollectingExporter exporter = new CollectingExporter();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Tracer tracer = tracerProvider.get("test");
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> slowLines = new CopyOnWriteArrayList<>();
  private final JdbcTelemetryHandler handler = new JdbcTelemetryHandler(registry, agentMetrics, tracer, THRESHOLD,
      (system, namespace, sql, nanos, threshold, traceId, spanId) ->
          slowLines.add(system + "|" + namespace + "|" + sql + "|" + nanos + "|" + traceId + "|" + spanId),
      ticker);
  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:h2:mem:handler;DB_CLOSE_DELAY=-1", "sa", "");
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
    tracerProvider.close();
  }

  @Test
  void aStatementIsOneObservationAndOneClientSpanWithSanitizedText() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      Object state = handler.start(statement, "SELECT * FROM users WHERE name = 's3cr3t' AND id = 42");
      ticker.advance(3_000_000);
      handler.end(state, null);
    }
    assertEquals(1.0, count("h2database", "SELECT", "users", ""));
    assertEquals(0.003, sum("h2database", "SELECT", "users", ""), 1e-9);
    SpanData span = onlySpan();
    assertEquals("SELECT users", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertFalse(span.getParentSpanContext().isValid(), "no current span: a root span");
    assertEquals(Attributes.builder()
        .put("db.system.name", "h2database")
        .put("db.namespace", "handler")
        .put("db.query.text", "SELECT * FROM users WHERE name = ? AND id = ?")
        .put("db.operation.name", "SELECT")
        .put("db.collection.name", "users")
        .build().asMap(), span.getAttributes().asMap());
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    assertTrue(slowLines.isEmpty());
  }

  @Test
  void theSpanIsAChildOfTheCurrentSpan() throws SQLException {
    Span parent = tracer.spanBuilder("GET /owners/{id}").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = parent.makeCurrent(); Statement statement = connection.createStatement()) {
      handler.end(handler.start(statement, "DELETE FROM owners WHERE id = 7"), null);
    } finally {
      parent.end();
    }
    SpanData client = exporter.spans.get(0);
    assertEquals("DELETE owners", client.getName());
    assertEquals(parent.getSpanContext().getSpanId(), client.getParentSpanId());
    assertEquals(parent.getSpanContext().getTraceId(), client.getTraceId());
  }

  @Test
  void preparedSqlIsRememberedForEveryExecution() throws SQLException {
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE TABLE IF NOT EXISTS pets (id INT PRIMARY KEY, name VARCHAR(50))");
    }
    try (PreparedStatement ps = connection.prepareStatement("UPDATE pets SET name = ? WHERE id = ?")) {
      handler.prepared(connection, ps, "UPDATE pets SET name = ? WHERE id = ?");
      for (int i = 0; i < 100; i++) {
        handler.end(handler.startPrepared(ps), null);
      }
    }
    assertEquals(100.0, count("h2database", "UPDATE", "pets", ""));
    assertEquals(100, exporter.spans.size());
    assertTrue(exporter.spans.stream().allMatch(s -> s.getName().equals("UPDATE pets")
        && "UPDATE pets SET name = ? WHERE id = ?".equals(s.getAttributes().get(AttributeKey.stringKey("db.query.text")))));
  }

  @Test
  void anUnknownPreparedStatementIsStillTimed() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT 1")) {
      handler.end(handler.startPrepared(ps), null);
    }
    assertEquals(1.0, count("h2database", "", "", ""));
    assertEquals("handler", onlySpan().getName(), "no operation: the span is named after the namespace");
  }

  @Test
  void aPreparedBatchIsOneObservationWithItsSize() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT 1")) {
      handler.prepared(connection, ps, "INSERT INTO pets (id, name) VALUES (?, ?)");
      for (int i = 0; i < 5; i++) {
        handler.addBatch(ps, null);
      }
      handler.end(handler.startBatch(ps), null);
      handler.addBatch(ps, null);
      handler.clearBatch(ps);
      handler.addBatch(ps, null);
      handler.addBatch(ps, null);
      handler.end(handler.startBatch(ps), null);
    }
    assertEquals(2.0, count("h2database", "BATCH INSERT", "pets", ""));
    assertEquals(List.of(5L, 2L), batchSizes());
    assertEquals("BATCH INSERT pets", exporter.spans.get(0).getName());
    assertEquals("INSERT INTO pets (id, name) VALUES (?, ?)", text(exporter.spans.get(0)));
  }

  @Test
  void aPlainStatementBatchIsDescribedByItsStatements() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      handler.addBatch(statement, "INSERT INTO pets VALUES (1, 'rex')");
      handler.addBatch(statement, "INSERT INTO pets VALUES (2, 'tom')");
      handler.addBatch(statement, "UPDATE pets SET name = 'x' WHERE id = 1");
      handler.end(handler.startBatch(statement), null);
    }
    assertEquals(1.0, count("h2database", "BATCH", "pets", ""));
    SpanData span = onlySpan();
    assertEquals(List.of(3L), batchSizes());
    assertEquals("INSERT INTO pets VALUES (?, ?); UPDATE pets SET name = ? WHERE id = ?", text(span));
  }

  @Test
  void sqlErrorsAreTypedCountedAndRecordedWithoutTheirMessage() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      Object state = handler.start(statement, "SELECT * FROM missing WHERE secret = 's3cr3t'");
      handler.end(state, new SQLSyntaxErrorException("Table MISSING not found; SQL: ... 's3cr3t' ...", "42S02"));
    }
    String type = SQLSyntaxErrorException.class.getName();
    assertEquals(1.0, count("h2database", "SELECT", "missing", type));
    assertEquals(1.0, registry.getSampleValue("vigil_exceptions_total",
        new String[] {"exception_type", "source"}, new String[] {type, "jdbc"}));
    SpanData span = onlySpan();
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(type, span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals("42S02", span.getAttributes().get(AttributeKey.stringKey("db.response.status_code")));
    EventData event = span.getEvents().get(0);
    assertEquals("exception", event.getName());
    assertEquals(type, event.getAttributes().get(AttributeKey.stringKey("exception.type")));
    assertFalse(span.toString().contains("s3cr3t"), span.toString());
  }

  @Test
  void sqlErrorsGoToErrorTrackingWithTheClientSpansIdsAndNothingElseDoes() throws SQLException {
    List<String> tracked = new CopyOnWriteArrayList<>();
    ErrorTracker errors = new ErrorTracker() {
      @Override
      public void servletError(Throwable error, String route, String traceId, String spanId) {
        tracked.add("servlet");
      }

      @Override
      public void jdbcError(Throwable error, String traceId, String spanId) {
        tracked.add(((SQLException) error).getSQLState() + "|" + traceId + "|" + spanId);
      }

      @Override
      public boolean awaitingRoutes() {
        return false;
      }

      @Override
      public void requestEnded(String traceId, String route) {}
    };
    JdbcTelemetryHandler tracking = new JdbcTelemetryHandler(new CollectorRegistry(), agentMetrics, tracer, THRESHOLD,
        SlowQueryLog.SLF4J, ticker, errors);
    try (Statement statement = connection.createStatement()) {
      tracking.end(tracking.start(statement, "SELECT * FROM missing"), new SQLSyntaxErrorException("x", "42S02"));
      tracking.end(tracking.start(statement, "SELECT 1 FROM dual"), new IllegalStateException("driver bug"));
      tracking.end(tracking.start(statement, "SELECT 1 FROM dual"), null);
    }
    SpanData failed = exporter.spans.get(0);
    assertEquals(List.of("42S02|" + failed.getTraceId() + "|" + failed.getSpanId()), tracked);
  }

  @Test
  void otherThrowablesAreTypedButNotCountedAsSqlExceptions() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      handler.end(handler.start(statement, "SELECT 1 FROM dual"), new IllegalStateException("driver bug"));
    }
    assertEquals(1.0, count("h2database", "SELECT", "dual", IllegalStateException.class.getName()));
    assertNull(registry.getSampleValue("vigil_exceptions_total",
        new String[] {"exception_type", "source"}, new String[] {IllegalStateException.class.getName(), "jdbc"}));
  }

  @Test
  void aSlowStatementIsLoggedOnceWithSanitizedSqlAndItsTraceIdAndMarkedOnTheSpan() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      Object state = handler.start(statement, "SELECT * FROM users WHERE password = 'hunter2'");
      ticker.advance(THRESHOLD + 5_000_000);
      handler.end(state, null);
      Object fast = handler.start(statement, "SELECT * FROM users WHERE password = 'hunter2'");
      ticker.advance(THRESHOLD - 1);
      handler.end(fast, null);
    }
    SpanData span = exporter.spans.get(0);
    assertEquals(List.of("h2database|handler|SELECT * FROM users WHERE password = ?|15000000|"
        + span.getTraceId() + "|" + span.getSpanId()), slowLines);
    assertEquals("db.slow_query", span.getEvents().get(0).getName());
    assertEquals(15.0, span.getEvents().get(0).getAttributes().get(AttributeKey.doubleKey("db.duration_ms")));
    assertTrue(exporter.spans.get(1).getEvents().isEmpty());
  }

  @Test
  void theUrlIsReadOncePerPhysicalConnectionEvenThroughPoolProxies() throws SQLException {
    AtomicInteger metadataCalls = new AtomicInteger();
    Connection physical = counting(connection, metadataCalls);
    for (int borrow = 0; borrow < 3; borrow++) {
      Connection proxy = poolProxy(physical);
      Statement statement = statementOn(proxy);
      for (int i = 0; i < 5; i++) {
        handler.end(handler.start(statement, "SELECT * FROM users"), null);
      }
    }
    assertEquals(1, metadataCalls.get());
    assertEquals(15.0, count("h2database", "SELECT", "users", ""));
  }

  @Test
  void poolProxiesAreNotRememberedOnlyTheirPhysicalConnection() throws SQLException {
    AtomicInteger metadataCalls = new AtomicInteger();
    Connection physical = counting(connection, metadataCalls);
    // Held, so none can be collected: each borrow's proxy would otherwise stay in the cache.
    List<Connection> borrows = new ArrayList<>();
    for (int borrow = 0; borrow < 1000; borrow++) {
      Connection proxy = poolProxy(physical);
      borrows.add(proxy);
      Statement statement = statementOn(proxy);
      handler.prepared(proxy, statement, "SELECT * FROM users WHERE id = ?");
      handler.end(handler.startPrepared(statement), null);
      handler.closed(statement);
    }
    assertEquals(1, handler.rememberedConnections(), "remembered connections");
    assertEquals(1, metadataCalls.get());
    assertEquals(1000.0, count("h2database", "SELECT", "users", ""));
    assertEquals(1000, borrows.size());
  }

  @Test
  void statementsAreNotPinned() throws Exception {
    for (int i = 0; i < 2000; i++) {
      PreparedStatement ps = connection.prepareStatement("SELECT " + (i % 3));
      handler.prepared(connection, ps, "SELECT " + (i % 3));
      ps.close();
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (handler.rememberedStatements() > 100 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertTrue(handler.rememberedStatements() <= 100, "remembered: " + handler.rememberedStatements());
  }

  @Test
  void aClosedStatementIsForgottenAtOnce() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT 1");
    handler.prepared(connection, ps, "SELECT 1");
    assertEquals(1, handler.rememberedStatements());
    ps.close();
    handler.closed(ps);
    // Without waiting for any collection: the statement object itself is still reachable here.
    assertEquals(0, handler.rememberedStatements());
    handler.closed(ps);
    handler.closed(null);
    assertEquals(0, handler.rememberedStatements());
  }

  @Test
  void withTracesOffMetricsAreStillRecorded() throws SQLException {
    JdbcTelemetryHandler noTraces = new JdbcTelemetryHandler(new CollectorRegistry(), agentMetrics,
        TracerProvider.noop().get("x"), 0, (a, b, c, d, e, f, g) -> slowLines.add(f + "|" + g), ticker);
    try (Statement statement = connection.createStatement()) {
      noTraces.end(noTraces.start(statement, "INSERT INTO t VALUES (1)"), new SQLException("x"));
    }
    assertEquals(List.of("null|null"), slowLines, "slow (threshold 0), logged without a trace id");
  }

  @Test
  void withTracesOffTheSlowQueryLineCarriesTheIncomingTraceAndNoSpanIsEnded() throws SQLException {
    JdbcTelemetryHandler noTraces = new JdbcTelemetryHandler(new CollectorRegistry(), agentMetrics,
        TracerProvider.noop().get("x"), 0, (a, b, c, d, e, f, g) -> slowLines.add(f + "|" + g), ticker);
    // What the servlet side puts in the context with traces off: the caller's ids, not recording.
    SpanContext incoming = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7", io.opentelemetry.api.trace.TraceFlags.getSampled(),
        io.opentelemetry.api.trace.TraceState.getDefault());
    // A recording span stands in for it here, to show that the statement never ends it.
    Span caller = tracer.spanBuilder("caller").setParent(io.opentelemetry.context.Context.root()
        .with(Span.wrap(incoming))).startSpan();
    try (Scope ignored = caller.makeCurrent(); Statement statement = connection.createStatement()) {
      noTraces.end(noTraces.start(statement, "SELECT 1"), null);
    }
    assertEquals(List.of("4bf92f3577b34da6a3ce929d0e0e4736|" + caller.getSpanContext().getSpanId()), slowLines);
    assertTrue(caller.isRecording(), "the caller's span is still open");
    caller.end();
  }

  private List<Long> batchSizes() {
    List<Long> sizes = new ArrayList<>();
    for (SpanData span : exporter.spans) {
      sizes.add(span.getAttributes().get(AttributeKey.longKey("db.operation.batch.size")));
    }
    return sizes;
  }

  private static String text(SpanData span) {
    return span.getAttributes().get(AttributeKey.stringKey("db.query.text"));
  }

  @Test
  void underTheMinimumSpanDurationOnlyTheMetricsAreRecordedAndTheRestKeepTheirSpanAndTiming()
      throws SQLException {
    CollectorRegistry own = new CollectorRegistry();
    JdbcTelemetryHandler filtering = new JdbcTelemetryHandler(own, agentMetrics, tracer, THRESHOLD, 2_000_000L,
        (system, namespace, sql, nanos, threshold, traceId, spanId) -> slowLines.add(traceId + "|" + spanId),
        ticker, ErrorTracker.NOOP);
    Span parent = tracer.spanBuilder("GET /owners/{id}").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = parent.makeCurrent(); Statement statement = connection.createStatement()) {
      Object fast = filtering.start(statement, "SELECT * FROM owners WHERE id = 1");
      ticker.advance(1_999_999);
      filtering.end(fast, null);
      assertTrue(exporter.spans.isEmpty(), "a statement under the minimum has no span");

      Object kept = filtering.start(statement, "SELECT * FROM owners WHERE id = 2");
      ticker.advance(2_000_000);
      long before = System.currentTimeMillis();
      filtering.end(kept, null);
      SpanData span = onlySpan();
      assertEquals("SELECT owners", span.getName());
      assertEquals(parent.getSpanContext().getSpanId(), span.getParentSpanId());
      assertEquals(2_000_000L, span.getEndEpochNanos() - span.getStartEpochNanos(), "the statement's own duration");
      assertTrue(span.getEndEpochNanos() / 1_000_000 >= before - 1, "ends now, started before");
      assertEquals("SELECT * FROM owners WHERE id = ?", text(span));

      Object failed = filtering.start(statement, "SELECT * FROM missing");
      ticker.advance(1_000);
      filtering.end(failed, new SQLSyntaxErrorException("x", "42S02"));
      assertEquals(2, exporter.spans.size(), "an error is always traced, however fast");
      assertEquals(StatusCode.ERROR, exporter.spans.get(1).getStatus().getStatusCode());
    } finally {
      parent.end();
    }
    String[] owners = {"h2database", "SELECT", "owners", ""};
    assertEquals(2.0, own.getSampleValue(DbClientMetrics.NAME + "_count", LABELS, owners), "every statement is in the metrics");
    assertEquals(0.003999999, own.getSampleValue(DbClientMetrics.NAME + "_sum", LABELS, owners), 1e-12);
    assertEquals(1.0, own.getSampleValue(DbClientMetrics.NAME + "_count", LABELS,
        new String[] {"h2database", "SELECT", "missing", "java.sql.SQLSyntaxErrorException"}));
    assertTrue(slowLines.isEmpty());
  }

  @Test
  void aSlowStatementKeepsItsSpanAndItsLogLineWhateverTheMinimum() throws SQLException {
    JdbcTelemetryHandler filtering = new JdbcTelemetryHandler(new CollectorRegistry(), agentMetrics, tracer, THRESHOLD,
        60_000_000_000L,
        (system, namespace, sql, nanos, threshold, traceId, spanId) -> slowLines.add(traceId + "|" + spanId),
        ticker, ErrorTracker.NOOP);
    try (Statement statement = connection.createStatement()) {
      Object slow = filtering.start(statement, "UPDATE owners SET name = 'x'");
      ticker.advance(THRESHOLD);
      filtering.end(slow, null);
    }
    SpanData span = onlySpan();
    assertEquals("db.slow_query", span.getEvents().get(0).getName());
    assertEquals(List.of(span.getTraceId() + "|" + span.getSpanId()), slowLines);
  }

  private SpanData onlySpan() {
    assertEquals(1, exporter.spans.size(), exporter.spans.toString());
    return exporter.spans.get(0);
  }

  private double count(String... labels) {
    Double value = registry.getSampleValue(DbClientMetrics.NAME + "_count", LABELS, labels);
    return value == null ? 0 : value;
  }

  private double sum(String... labels) {
    return registry.getSampleValue(DbClientMetrics.NAME + "_sum", LABELS, labels);
  }

  private static Connection counting(Connection real, AtomicInteger metadataCalls) {
    return (Connection) Proxy.newProxyInstance(JdbcTelemetryHandlerTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("getMetaData")) {
            metadataCalls.incrementAndGet();
          }
          if (method.getName().equals("unwrap")) {
            return proxy;
          }
          return invoke(real, method, args);
        });
  }

  /** Like HikariCP's ProxyConnection: a new object per borrow that unwraps to the physical one. */
  private static Connection poolProxy(Connection physical) {
    return (Connection) Proxy.newProxyInstance(JdbcTelemetryHandlerTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("unwrap")) {
            return physical;
          }
          if (method.getName().equals("getMetaData")) {
            throw new AssertionError("the proxy's metadata must not be read when the physical is known");
          }
          return invoke(physical, method, args);
        });
  }

  private static Statement statementOn(Connection connection) {
    return (Statement) Proxy.newProxyInstance(JdbcTelemetryHandlerTest.class.getClassLoader(),
        new Class<?>[] {Statement.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return connection;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static final class FakeTicker implements JdbcTelemetryHandler.Ticker {
    private long now = 1_000_000_000L;

    void advance(long nanos) {
      now += nanos;
    }

    @Override
    public long nanoTime() {
      return now;
    }
  }

  /** An in-memory exporter: what the SDK ended, in order. */
  private static final class CollectingExporter implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
