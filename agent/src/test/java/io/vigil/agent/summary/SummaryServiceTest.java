package io.vigil.agent.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.vigil.agent.http.Json;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.errors.ErrorSink;
import io.vigil.api.errors.ErrorTracking;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.api.metrics.StatementTotals;
import io.vigil.servlet.HttpServerMetrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The service over a real registry fed by the same recorders the instrumentations use, a fake
 * clock, and the JSON read back.
 */
class SummaryServiceTest {

  private static final long MINUTE = 60_000;
  private static final long START = 1_790_000_000_000L - 1_790_000_000_000L % MINUTE + 10_000;

  private final AtomicLong clock = new AtomicLong(START);
  private final CollectorRegistry registry = new CollectorRegistry(true);
  private final AgentMetrics agentMetrics = new AgentMetrics(registry, "1.0", "svc", List.of());
  private final HttpServerMetrics http = new HttpServerMetrics(registry, 100);
  private final StatementTotals statements = new StatementTotals(10);
  private final ErrorGroups groups = new ErrorGroups(10, ErrorGroups.Listener.NONE);
  private final ErrorTracking errors = new ErrorTracking(groups, ErrorSink.NONE, null, clock::get);
  private final SummaryService service = new SummaryService(registry, statements, groups, clock::get, START);

  private JsonNode summary(SummaryWindow window) throws Exception {
    SummaryService.Summary summary = service.query(window);
    SummaryJson.Context context = new SummaryJson.Context("svc", "1.0", START, new Json.Raw("{\"status\":\"UP\"}"),
        groups.recent(summary.windowStartMillis(), Integer.MAX_VALUE), groups.size(), true, null);
    return new ObjectMapper().readTree(SummaryJson.write(summary, context));
  }

  private void requests(String route, int count, int status, double seconds) {
    for (int i = 0; i < count; i++) {
      http.record("GET", route, status, status >= 500 ? String.valueOf(status) : "", seconds, null, null);
    }
  }

  @Test
  void aKnownLoadReadsBackExactly() throws Exception {
    requests("/owners/{id}", 30, 200, 0.02);
    requests("/owners/{id}", 10, 500, 0.6);
    requests("/health", 5, 200, 0.001);
    StatementTotals.Statement select = statements.statement("h2database", "SELECT * FROM owners WHERE id = ?", "SELECT",
        "owners");
    StatementTotals.Statement insert = statements.statement("h2database", "INSERT INTO visits VALUES (?, ?)", "INSERT",
        "visits");
    for (int i = 0; i < 40; i++) {
      select.record(2_000_000, false);
    }
    insert.record(500_000_000, true);
    agentMetrics.spansExported(45);
    errors.servletError(new IllegalStateException("boom 1"), "/owners/{id}", null, null);
    clock.addAndGet(MINUTE);
    service.snapshot();
    clock.addAndGet(30_000);

    JsonNode json = summary(SummaryWindow.FIVE_MINUTES);
    assertEquals("5m", json.get("window").asText());
    assertEquals(300, json.get("windowSeconds").asLong());
    assertEquals(90.0, json.get("coveredSeconds").asDouble(), 1e-9);
    assertEquals(60, json.get("resolutionSeconds").asLong());
    assertEquals("UP", json.get("health").get("status").asText());
    JsonNode totals = json.get("totals");
    assertEquals(45, totals.get("requests").asLong());
    assertEquals(10, totals.get("errors").asLong());
    assertEquals(10 / 45.0, totals.get("errorRatio").asDouble(), 1e-6);
    assertEquals(0.5, totals.get("ratePerSecond").asDouble(), 1e-6);

    JsonNode owners = json.get("routes").get(0);
    assertEquals("/owners/{id}", owners.get("route").asText());
    assertEquals("GET", owners.get("method").asText());
    assertEquals(40, owners.get("requests").asLong());
    assertEquals(10, owners.get("errors").asLong());
    assertEquals(0.25, owners.get("errorRatio").asDouble(), 1e-9);
    // 30 in (0.01, 0.025], 10 in (0.5, 0.75]: p95 is rank 38, the 8th of 10 in the upper bucket.
    assertEquals(0.5 + 0.25 * 0.8, owners.get("p95Seconds").asDouble(), 1e-6);
    assertEquals(0.01 + 0.015 * (20 / 30.0), owners.get("p50Seconds").asDouble(), 1e-6);
    assertEquals("/health", json.get("routes").get(1).get("route").asText());

    JsonNode slowest = json.get("statements").get(0);
    assertEquals("INSERT INTO visits VALUES (?, ?)", slowest.get("statement").asText());
    assertEquals(1, slowest.get("count").asLong());
    assertEquals(1, slowest.get("errors").asLong());
    assertEquals(0.5, slowest.get("totalSeconds").asDouble(), 1e-9);
    JsonNode select40 = json.get("statements").get(1);
    assertEquals(40, select40.get("count").asLong());
    assertEquals(0.08, select40.get("totalSeconds").asDouble(), 1e-9);
    assertEquals(0.002, select40.get("meanSeconds").asDouble(), 1e-9);
    assertEquals("owners", select40.get("collection").asText());

    JsonNode errorsJson = json.get("errors");
    assertEquals(1, errorsJson.get("groups").asInt());
    assertEquals(1, errorsJson.get("newInWindow").asInt());
    assertTrue(errorsJson.get("recent").get(0).get("new").asBoolean());
    assertEquals(1, errorsJson.get("recent").get(0).get("countInWindow").asLong());
    assertEquals(45, json.get("export").get("spansExported").asLong());
    assertTrue(json.get("export").get("lastFailure").isNull());
    assertEquals(2, json.get("timeline").size());
  }

  @Test
  void theWindowMovesOnAndTheLiveMinuteCountsWithoutASnapshot() throws Exception {
    requests("/a", 3, 200, 0.001);
    errors.servletError(new IllegalStateException("x"), "/a", null, null);
    clock.addAndGet(MINUTE);
    service.snapshot();
    requests("/a", 2, 503, 0.001);
    assertEquals(5, summary(SummaryWindow.FIVE_MINUTES).get("totals").get("requests").asLong());
    for (int minute = 0; minute < 6; minute++) {
      clock.addAndGet(MINUTE);
      service.snapshot();
    }
    requests("/a", 1, 200, 0.001);
    JsonNode json = summary(SummaryWindow.FIVE_MINUTES);
    assertEquals(1, json.get("totals").get("requests").asLong());
    assertEquals(0, json.get("totals").get("errors").asLong());
    // Four whole minutes and the 10 s of the current one.
    assertEquals(250, json.get("coveredSeconds").asDouble(), 1e-9);
    assertEquals(0, json.get("errors").get("recent").size());
    assertEquals(5, json.get("timeline").size());
    JsonNode hour = summary(SummaryWindow.ONE_HOUR);
    assertEquals(6, hour.get("totals").get("requests").asLong());
    assertEquals(2, hour.get("totals").get("errors").asLong());
    assertTrue(hour.get("errors").get("recent").get(0).get("new").asBoolean());
    assertEquals(1, hour.get("errors").get("newInWindow").asInt());
  }

  @Test
  void anEmptyWindowHasNullFiguresNeverNaN() throws Exception {
    JsonNode json = summary(SummaryWindow.ONE_DAY);
    JsonNode totals = json.get("totals");
    assertEquals(0, totals.get("requests").asLong());
    for (String figure : new String[] {"errorRatio", "p50Seconds", "p95Seconds", "p99Seconds"}) {
      assertTrue(totals.get(figure).isNull(), figure);
    }
    assertEquals(0, json.get("routes").size());
    assertEquals(0, json.get("statements").size());
    assertEquals(0, json.get("pools").size());
    assertEquals(3600, json.get("resolutionSeconds").asLong());
  }

  @Test
  void poolsAreReadFromTheirGaugesWithTimeoutsInTheWindow() throws Exception {
    Gauge count = Gauge.build("db_client_connection_count", "c")
        .labelNames("db_client_connection_pool_name", "db_client_connection_state").register(registry);
    count.labels("pool-a", "used").set(3);
    count.labels("pool-a", "idle").set(7);
    Gauge.build("db_client_connection_max", "m").labelNames("db_client_connection_pool_name").register(registry)
        .labels("pool-a").set(10);
    Gauge.build("db_client_connection_pending_requests", "p").labelNames("db_client_connection_pool_name")
        .register(registry).labels("pool-a").set(2);
    Counter timeouts = Counter.build("db_client_connection_timeouts", "t")
        .labelNames("db_client_connection_pool_name").register(registry);
    timeouts.labels("pool-a").inc(4);
    clock.addAndGet(MINUTE);
    service.snapshot();
    timeouts.labels("pool-a").inc();
    JsonNode pool = summary(SummaryWindow.FIVE_MINUTES).get("pools").get(0);
    assertEquals("pool-a", pool.get("pool").asText());
    assertEquals(3, pool.get("active").asLong());
    assertEquals(7, pool.get("idle").asLong());
    assertEquals(2, pool.get("pending").asLong());
    assertEquals(10, pool.get("max").asLong());
    assertEquals(5, pool.get("timeouts").asLong());
  }

  @Test
  void theMinuteThreadIsADaemonThatCountsItsFailuresAndGoesOn() throws Exception {
    CollectorRegistry broken = new CollectorRegistry(true);
    new BrokenCollector().register(broken);
    // 20 ms before a minute: the thread wakes 25 ms later, and again and again, as the clock stands still.
    AtomicLong stillClock = new AtomicLong(START - 10_000 + MINUTE - 20);
    SummaryService failing = new SummaryService(broken, statements, groups, stillClock::get, START);
    failing.start();
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (failing.failures() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(failing.failures() >= 3, "failures counted: " + failing.failures());
      Thread thread = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("vigil-summary")).findFirst().orElseThrow(AssertionError::new);
      assertTrue(thread.isDaemon());
      assertTrue(thread.isAlive(), "it goes on after a failure");
    } finally {
      failing.stop();
    }
  }

  /** Fails every read; it describes itself, so registering it does not read it. */
  private static final class BrokenCollector extends Collector implements Collector.Describable {
    @Override
    public List<MetricFamilySamples> collect() {
      throw new IllegalStateException("a broken collector");
    }

    @Override
    public List<MetricFamilySamples> describe() {
      return List.of(new MetricFamilySamples("http_server_request_duration_seconds", Type.HISTOGRAM, "broken",
          List.of()));
    }
  }
}
