package io.vigil.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.it.apps.jdbc.JdbcWorkloadApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.Jdk;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The JDBC scenarios, run by each subclass against one database reached one way (H2 or PostgreSQL,
 * DriverManager or HikariCP) in one forked application JVM with the built agent. Each test works on
 * its own table, so its counts are exact whatever ran before it in the same JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class JdbcScenarios {

  static final String DURATION = "db_client_operation_duration_seconds";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration SPAN_WAIT = Duration.ofSeconds(30);

  /** The database the application talks to. */
  record Target(String mode, String jdbcUrl, String user, String password, String system, String namespace,
      String serverAddress, Long serverPort, String slowSql) {}

  private OtlpReceiver receiver;
  private AgentJvm app;
  private int appPort;
  private Target target;

  abstract Target target();

  Jdk jdk() {
    return Jdk.JDK17;
  }

  @BeforeAll
  void startApplication() {
    target = target();
    receiver = new OtlpReceiver();
    appPort = FreePort.next();
    app = AgentJvm.app(JdbcWorkloadApp.class)
        .jdk(jdk())
        .otlp(receiver)
        .property("vigil.jdbc.slow-query-threshold", "50ms")
        .args(String.valueOf(appPort), target.mode(), target.jdbcUrl(), target.user(), target.password())
        .start();
    app.awaitLine("jdbc-app ready", Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  @Order(1)
  void plainStatementsAreCountedExactlyPerOperationAndTable() {
    String table = setup("plain_t");
    call("/plain", table);
    MetricsSnapshot metrics = app.metrics();
    assertEquals(3.0, count(metrics, "INSERT", table, ""));
    assertEquals(2.0, count(metrics, "SELECT", table, ""));
    assertEquals(1.0, count(metrics, "UPDATE", table, ""));
    assertEquals(1.0, count(metrics, "DELETE", table, ""));
    assertEquals(8, metrics.find(DURATION + "_count", "db_collection_name", table).stream()
        .mapToDouble(s -> s.value()).sum(), "CREATE TABLE, 3 INSERT, 2 SELECT, UPDATE, DELETE");
    assertEquals(0.0, metrics.value("vigil_agent_instrumentation_errors_total", "instrumentation", "jdbc"),
        "no advice error and no failed transformation. Output:\n" + app.output());

    List<Span> spans = awaitSpans(table, 8);
    List<String> names = spans.stream().map(Span::getName).sorted().toList();
    assertEquals(List.of("CREATE " + table, "DELETE " + table, "INSERT " + table, "INSERT " + table,
        "INSERT " + table, "SELECT " + table, "SELECT " + table, "UPDATE " + table), names);
    for (Span span : spans) {
      assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.getKind());
      assertTrue(span.getParentSpanId().isEmpty(), "no current span in the application thread: a root span");
      Map<String, String> attributes = attributes(span);
      assertEquals(target.system(), attributes.get("db.system.name"));
      assertEquals(target.namespace(), attributes.get("db.namespace"));
      assertEquals(target.serverAddress(), attributes.get("server.address"));
      assertEquals(target.serverPort() == null ? null : String.valueOf(target.serverPort()),
          attributes.get("server.port"));
      assertEquals(table, attributes.get("db.collection.name"));
      assertFalse(attributes.containsKey("db.operation.batch.size"));
    }
    assertTrue(texts(spans).contains("INSERT INTO " + table + " (id, name) VALUES (?, ?)"), texts(spans).toString());
    assertTrue(texts(spans).contains("SELECT COUNT(*) FROM " + table + " WHERE name <> ?"), texts(spans).toString());
    assertTrue(texts(spans).contains("UPDATE " + table + " SET name = ? WHERE id = ?"), texts(spans).toString());
  }

  @Test
  @Order(2)
  void aPreparedStatementReusedAHundredTimesIsAHundredObservations() {
    String table = setup("prepared_t");
    call("/prepared?n=100", table);
    MetricsSnapshot metrics = app.metrics();
    assertEquals(100.0, count(metrics, "INSERT", table, ""));
    assertEquals(100.0, count(metrics, "SELECT", table, ""));
    List<Span> spans = awaitSpans(table, 201);
    assertEquals(100, spans.stream().filter(s -> s.getName().equals("INSERT " + table)
        && attributes(s).get("db.query.text").equals("INSERT INTO " + table + " (id, name) VALUES (?, ?)")).count());
    assertEquals(100, spans.stream().filter(s -> s.getName().equals("SELECT " + table)
        && attributes(s).get("db.query.text").equals("SELECT name FROM " + table + " WHERE id = ?")).count());
  }

  @Test
  @Order(3)
  void aBatchIsOneObservationWithItsSizeOnTheSpan() {
    String table = setup("batch_t");
    call("/batch", table);
    MetricsSnapshot metrics = app.metrics();
    assertEquals(2.0, count(metrics, "BATCH INSERT", table, ""), "one per executeBatch, prepared and plain");
    assertFalse(metrics.has(DURATION + "_count", "db_collection_name", table, "db_operation_name", "INSERT"));
    List<Span> batches = awaitSpans(table, 3).stream().filter(s -> s.getName().startsWith("BATCH")).toList();
    assertEquals(2, batches.size());
    Map<String, String> sizes = new LinkedHashMap<>();
    for (Span span : batches) {
      assertEquals("BATCH INSERT " + table, span.getName());
      sizes.put(attributes(span).get("db.operation.batch.size"), attributes(span).get("db.query.text"));
    }
    assertEquals(Map.of("5", "INSERT INTO " + table + " (id, name) VALUES (?, ?)",
        "3", "INSERT INTO " + table + " (id, name) VALUES (?, ?)"), sizes);
  }

  @Test
  @Order(4)
  void sqlErrorsCarryTheirTypeOnMetricsAndSpans() {
    String table = setup("error_t");
    Map<String, String> answer = call("/error", table);
    String missingTable = answer.get("missingTable");
    String badBind = answer.get("badBind");
    assertTrue(missingTable.contains("SQL") || missingTable.contains("PSQL"), missingTable);
    MetricsSnapshot metrics = app.metrics();
    assertEquals(1.0, count(metrics, "SELECT", "no_such_table_" + table, missingTable));
    assertEquals(1.0, count(metrics, "SELECT", table, badBind));
    double expected = missingTable.equals(badBind) ? 2.0 : 1.0;
    assertEquals(expected, metrics.value("vigil_exceptions_total", "exception_type", missingTable, "source", "jdbc"),
        "counted per exception class, cumulative over the JVM: this is the only test that fails statements");
    List<Span> spans = awaitSpans("no_such_table_" + table, 1);
    Span span = spans.get(0);
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
    assertEquals(missingTable, attributes(span).get("error.type"));
    assertEquals("exception", span.getEvents(0).getName());
    assertEquals(missingTable, eventAttributes(span.getEvents(0)).get("exception.type"));
    Span bind = awaitSpans(table, 2).stream().filter(s -> s.getName().equals("SELECT " + table)).findFirst().orElseThrow();
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, bind.getStatus().getCode());
    assertEquals(badBind, attributes(bind).get("error.type"));
  }

  @Test
  @Order(5)
  void aSlowStatementIsLoggedWithItsSanitizedSqlAndTraceId() {
    call("/slow", null);
    String line = app.awaitLine("sql: " + target.slowSql(), Duration.ofSeconds(10));
    assertTrue(line.contains("Slow JDBC statement"), line);
    assertTrue(line.contains("sql: " + target.slowSql()), line);
    String traceId = line.replaceAll(".*trace_id=([0-9a-f]{32}).*", "$1");
    assertEquals(32, traceId.length(), line);
    Span span = awaitSpans(s -> s.getName().equals("SELECT") && target.slowSql().equals(attributes(s).get("db.query.text")), 1).get(0);
    assertEquals(traceId, hex(span.getTraceId().toByteArray()));
    assertTrue(span.getEventsList().stream().anyMatch(e -> e.getName().equals("db.slow_query")), span.toString());
  }

  @Test
  @Order(6)
  void noSecretLeavesTheProcess() {
    String table = setup("secret_t");
    call("/plain", table);
    call("/prepared?n=3", table);
    call("/batch", table);
    call("/error", table);
    awaitSpans(table, 1 + 7 + 6 + 2 + 1);
    String metricsText = app.get("/metrics").body();
    String openMetricsText = app.get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8").body();
    List<String> spanTexts = new ArrayList<>();
    for (Span span : receiver.spans()) {
      spanTexts.add(span.getName());
      span.getAttributesList().forEach(kv -> spanTexts.add(kv.getKey() + "=" + value(kv.getValue())));
      span.getEventsList().forEach(e -> {
        spanTexts.add(e.getName());
        e.getAttributesList().forEach(kv -> spanTexts.add(kv.getKey() + "=" + value(kv.getValue())));
      });
      spanTexts.add(span.getStatus().getMessage());
    }
    for (String secret : List.of(JdbcWorkloadApp.SECRET_LITERAL, JdbcWorkloadApp.SECRET_BIND)) {
      assertFalse(metricsText.contains(secret), "/metrics has " + secret);
      assertFalse(openMetricsText.contains(secret), "/metrics (OpenMetrics) has " + secret);
      spanTexts.forEach(text -> assertFalse(text.contains(secret), "a span has " + secret + ": " + text));
      app.outputLines().forEach(line -> assertFalse(line.contains(secret), "output has " + secret + ": " + line));
    }
    assertTrue(spanTexts.size() > 100, "the check looked at real spans");
  }

  private String setup(String base) {
    String table = base;
    call("/setup", table);
    return table;
  }

  private Map<String, String> call(String path, String table) {
    String uri = "http://127.0.0.1:" + appPort + path + (table == null ? "" : (path.contains("?") ? "&" : "?") + "table=" + table);
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      Map<String, String> answer = new LinkedHashMap<>();
      for (String line : response.body().split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          answer.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      if (response.statusCode() != 200) {
        throw new AssertionError(uri + " answered " + response.statusCode() + " " + answer + ". Output:\n" + app.output());
      }
      return answer;
    } catch (IOException e) {
      throw new AssertionError(uri + " failed. Output:\n" + app.output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private double count(MetricsSnapshot metrics, String operation, String table, String errorType) {
    return metrics.value(DURATION + "_count", "db_system_name", target.system(), "db_operation_name", operation,
        "db_collection_name", table, "error_type", errorType);
  }

  private List<Span> awaitSpans(String table, int expected) {
    return awaitSpans(s -> table.equals(attributes(s).get("db.collection.name")), expected);
  }

  private List<Span> awaitSpans(Predicate<Span> which, int expected) {
    List<Span>[] found = new List[1];
    app.await(() -> {
      found[0] = receiver.spans().stream().filter(which).toList();
      return found[0].size() >= expected;
    }, SPAN_WAIT, expected + " spans");
    assertEquals(expected, found[0].size(), "exactly one span per execution");
    return found[0];
  }

  private static List<String> texts(List<Span> spans) {
    return spans.stream().map(s -> attributes(s).get("db.query.text")).toList();
  }

  static Map<String, String> attributes(Span span) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : span.getAttributesList()) {
      map.put(kv.getKey(), value(kv.getValue()));
    }
    return map;
  }

  private static Map<String, String> eventAttributes(Span.Event event) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : event.getAttributesList()) {
      map.put(kv.getKey(), value(kv.getValue()));
    }
    return map;
  }

  private static String value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> String.valueOf(value.getIntValue());
      case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
      case BOOL_VALUE -> String.valueOf(value.getBoolValue());
      default -> value.toString();
    };
  }

  private static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }
}
