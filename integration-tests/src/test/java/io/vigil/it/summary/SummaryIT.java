package io.vigil.it.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.DemoApp;
import io.vigil.it.harness.ExpositionParser;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricReference;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import io.vigil.it.harness.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /api/summary} of the demo (embedded Tomcat, HikariCP, H2) after a known load, read with
 * the credentials of its password-protected port: 30 owner pages (two prepared statements each)
 * and 10 requests to the failing page. Every figure the load determines is checked exactly; the
 * percentiles against the buckets {@code /metrics} shows for the same requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummaryIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(
      "ops:summary-pw".getBytes(StandardCharsets.UTF_8));
  private static final double[] HTTP_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
  private static final String OWNER_SELECT = "SELECT name FROM owners WHERE id = ?";
  private static final String PETS_SELECT = "SELECT name FROM pets WHERE owner_id = ?";

  private OtlpReceiver receiver;
  private AgentJvm demo;
  private int port;
  private JsonNode summary;

  @BeforeAll
  void startAndLoad() {
    receiver = new OtlpReceiver();
    port = FreePort.next();
    demo = DemoApp.start(port, receiver, Map.of(
        "vigil.prometheus.auth.username", "ops",
        "vigil.prometheus.auth.password", "summary-pw"));
    for (int i = 0; i < 30; i++) {
      assertEquals(200, DemoApp.get(port, "/owners/" + (1 + i % 5)));
    }
    for (int i = 0; i < 10; i++) {
      assertEquals(500, DemoApp.get(port, "/fail"));
    }
    // The agent records a request as it ends, which may be just after the client has the answer.
    demo.await(() -> summary("5m").get("totals").get("requests").asLong() == 40, WAIT, "the 40 requests in the summary");
    summary = summary("5m");
  }

  @AfterAll
  void stop() {
    if (demo != null) {
      demo.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private JsonNode summary(String window) {
    AgentJvm.HttpResult result = demo.getAuthorized("/api/summary?window=" + window, AUTH);
    assertEquals(200, result.status(), result.body());
    assertEquals("application/json; charset=utf-8", result.contentType());
    return demo.json(result);
  }

  private MetricsSnapshot metrics() {
    AgentJvm.HttpResult result = demo.getAuthorized("/metrics", AUTH);
    assertEquals(200, result.status());
    MetricsSnapshot snapshot = ExpositionParser.parse(result.body(), false);
    MetricReference.load().assertDocuments(snapshot);
    return snapshot;
  }

  private static JsonNode row(JsonNode list, String field, String value) {
    for (JsonNode row : list) {
      if (row.get(field).asText().equals(value)) {
        return row;
      }
    }
    throw new AssertionError("no row with " + field + "=" + value + " in " + list);
  }

  @Test
  void theWindowAndTheTotalsOfTheKnownLoad() {
    assertEquals("5m", summary.get("window").asText());
    assertEquals(300, summary.get("windowSeconds").asLong());
    assertEquals(60, summary.get("resolutionSeconds").asLong());
    double covered = summary.get("coveredSeconds").asDouble();
    assertTrue(covered > 0 && covered <= 300, "covered " + covered);
    assertFalse(summary.get("version").asText().isEmpty());
    assertNotNull(java.time.Instant.parse(summary.get("generatedAt").asText()));
    JsonNode totals = summary.get("totals");
    assertEquals(40, totals.get("requests").asLong());
    assertEquals(10, totals.get("errors").asLong());
    assertEquals(0.25, totals.get("errorRatio").asDouble(), 1e-9);
    assertEquals(40 / covered, totals.get("ratePerSecond").asDouble(), 0.01 * 40 / covered + 1e-6);
    long timelineRequests = 0;
    for (JsonNode point : summary.get("timeline")) {
      timelineRequests += point.get("requests").asLong();
      assertTrue(point.get("seconds").asDouble() <= 60);
    }
    assertEquals(40, timelineRequests, "the timeline adds up to the totals");
  }

  @Test
  void routesBusiestFirstWithPercentilesInTheBucketTheMetricsShow() {
    JsonNode routes = summary.get("routes");
    assertEquals(2, routes.size(), routes.toString());
    JsonNode owners = routes.get(0);
    assertEquals("/owners/*", owners.get("route").asText());
    assertEquals("GET", owners.get("method").asText());
    assertEquals(30, owners.get("requests").asLong());
    assertEquals(0, owners.get("errors").asLong());
    assertEquals(0.0, owners.get("errorRatio").asDouble());
    JsonNode fail = routes.get(1);
    assertEquals("/fail", fail.get("route").asText());
    assertEquals(10, fail.get("requests").asLong());
    assertEquals(10, fail.get("errors").asLong());
    assertEquals(1.0, fail.get("errorRatio").asDouble());
    MetricsSnapshot metrics = metrics();
    for (JsonNode route : routes) {
      for (String q : new String[] {"50", "95", "99"}) {
        double estimate = route.get("p" + q + "Seconds").asDouble();
        double[] bucket = bucketOfRank(metrics, route.get("route").asText(), Integer.parseInt(q) / 100.0);
        assertTrue(estimate >= bucket[0] && estimate <= bucket[1],
            route.get("route").asText() + " p" + q + " " + estimate + " outside (" + bucket[0] + ", " + bucket[1] + "]");
      }
    }
  }

  /** The bounds of the bucket that holds the q-th rank of the route's requests, from /metrics. */
  private static double[] bucketOfRank(MetricsSnapshot metrics, String route, double q) {
    double[] cumulative = new double[HTTP_BOUNDS.length + 1];
    for (Sample sample : metrics.find("http_server_request_duration_seconds_bucket", "http_route", route)) {
      String le = sample.label("le");
      int index = le.equals("+Inf") ? HTTP_BOUNDS.length : indexOf(Double.parseDouble(le));
      cumulative[index] += sample.value();
    }
    double rank = q * cumulative[HTTP_BOUNDS.length];
    for (int i = 0; i < HTTP_BOUNDS.length; i++) {
      if (cumulative[i] >= rank) {
        return new double[] {i == 0 ? 0 : HTTP_BOUNDS[i - 1], HTTP_BOUNDS[i]};
      }
    }
    return new double[] {HTTP_BOUNDS[HTTP_BOUNDS.length - 1], HTTP_BOUNDS[HTTP_BOUNDS.length - 1]};
  }

  private static int indexOf(double bound) {
    for (int i = 0; i < HTTP_BOUNDS.length; i++) {
      if (Math.abs(HTTP_BOUNDS[i] - bound) < 1e-9) {
        return i;
      }
    }
    throw new AssertionError("unknown bucket " + bound);
  }

  @Test
  void statementsWithExactCountsSlowestFirst() {
    JsonNode statements = summary.get("statements");
    JsonNode owner = row(statements, "statement", OWNER_SELECT);
    assertEquals(30, owner.get("count").asLong());
    assertEquals(0, owner.get("errors").asLong());
    assertEquals("h2database", owner.get("system").asText());
    assertEquals("SELECT", owner.get("operation").asText());
    assertEquals("owners", owner.get("collection").asText());
    assertEquals(owner.get("totalSeconds").asDouble() / 30, owner.get("meanSeconds").asDouble(), 2e-6);
    assertEquals(30, row(statements, "statement", PETS_SELECT).get("count").asLong());
    double previous = Double.MAX_VALUE;
    for (JsonNode statement : statements) {
      double total = statement.get("totalSeconds").asDouble();
      assertTrue(total <= previous, "slowest first: " + statements);
      previous = total;
      assertFalse(statement.get("statement").asText().matches(".*\\b(1|2|3|4|5)\\b.*"),
          "sanitized text only: " + statement);
    }
  }

  @Test
  void thePoolNowAndItsTimeouts() {
    JsonNode pool = row(summary.get("pools"), "pool", "petclinic");
    assertEquals(5, pool.get("max").asLong());
    assertEquals(0, pool.get("active").asLong());
    assertEquals(0, pool.get("pending").asLong());
    assertTrue(pool.get("idle").asLong() >= 1);
    assertEquals(0, pool.get("timeouts").asLong());
  }

  @Test
  void theFailingPageIsANewErrorGroupCountedInTheWindow() {
    JsonNode errors = summary.get("errors");
    assertEquals(1, errors.get("groups").asInt());
    assertEquals(1, errors.get("newInWindow").asInt());
    JsonNode group = errors.get("recent").get(0);
    assertEquals("java.lang.IllegalStateException", group.get("type").asText());
    assertEquals("servlet", group.get("source").asText());
    assertEquals(10, group.get("count").asLong());
    assertEquals(10, group.get("countInWindow").asLong());
    assertTrue(group.get("new").asBoolean());
    assertEquals("[\"/fail\"]", group.get("routes").toString());
    assertEquals(32, group.get("lastTraceId").asText().length());
    JsonNode errorsEndpoint = demo.json(demo.getAuthorized("/errors", AUTH));
    assertEquals(errorsEndpoint.get("groups").get(0).get("fingerprint").asText(), group.get("fingerprint").asText());
  }

  @Test
  void exportCountsAreTheSpanCountersOfTheWindow() {
    // 40 request spans, 60 statement spans.
    demo.await(() -> receiver.spans().size() >= 100, WAIT, "the spans to arrive");
    List<String> mismatches = new ArrayList<>();
    for (int attempt = 0; attempt < 20; attempt++) {
      double before = metrics().value("vigil_agent_spans_exported_total");
      JsonNode export = summary("5m").get("export");
      double after = metrics().value("vigil_agent_spans_exported_total");
      if (before == after) {
        assertTrue(export.get("enabled").asBoolean());
        assertEquals((long) before, export.get("spansExported").asLong());
        assertTrue(before >= 100);
        assertEquals(0, export.get("spansDropped").asLong());
        assertEquals(0, export.get("exportFailures").asLong());
        assertTrue(export.get("lastFailure").isNull());
        return;
      }
      mismatches.add(before + " then " + after);
    }
    throw new AssertionError("spans kept being exported while reading: " + mismatches);
  }

  @Test
  void healthIsWhatHealthAnswersTheSameCaller() {
    JsonNode health = demo.json(demo.getAuthorized("/health", AUTH));
    JsonNode inSummary = summary.get("health");
    assertEquals(health.get("status").asText(), inSummary.get("status").asText());
    assertEquals(names(health.get("checks")), names(inSummary.get("checks")));
    assertEquals("UP", inSummary.get("status").asText());
  }

  private static List<String> names(JsonNode checks) {
    List<String> names = new ArrayList<>();
    checks.forEach(check -> names.add(check.get("name").asText()));
    return names;
  }

  @Test
  void otherWindowsAndBadOnes() {
    JsonNode hour = summary("1h");
    assertEquals(40, hour.get("totals").get("requests").asLong());
    assertEquals(3600, hour.get("windowSeconds").asLong());
    JsonNode day = summary("24h");
    assertEquals(86400, day.get("windowSeconds").asLong());
    assertEquals(3600, day.get("resolutionSeconds").asLong());
    assertEquals(40, day.get("totals").get("requests").asLong());
    AgentJvm.HttpResult bad = demo.getAuthorized("/api/summary?window=7d", AUTH);
    assertEquals(400, bad.status());
    assertEquals("application/json; charset=utf-8", bad.contentType());
    assertEquals("window must be one of 5m, 1h or 24h, not 7d", demo.json(bad).get("error").asText());
  }

  @Test
  void theSummaryIsBehindThePortsPassword() {
    assertEquals(401, demo.get("/api/summary").status());
    assertEquals(401, demo.getAuthorized("/api/summary?window=1h", "Basic " + Base64.getEncoder().encodeToString(
        "ops:wrong".getBytes(StandardCharsets.UTF_8))).status());
    assertTrue(demo.outputLines().stream().noneMatch(line -> line.contains("summary-pw")));
  }
}
