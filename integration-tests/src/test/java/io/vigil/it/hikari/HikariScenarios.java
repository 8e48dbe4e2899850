package io.vigil.it.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.it.apps.hikari.HikariPoolApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.Jdk;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HikariCP scenarios of issue 5, run against one forked application JVM per concrete class
 * (one HikariCP version, one database, one JDK) with the built agent attached. The application
 * ({@link HikariPoolApp}) is driven over HTTP; every number the agent exposes is compared with what
 * the pool itself reports through {@code HikariPoolMXBean} or with what the application's own
 * {@code MetricsTrackerFactory} received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HikariScenarios {

  private static final String POOL = "db_client_connection_pool_name";
  private static final String STATE = "db_client_connection_state";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private AgentJvm app;
  private int appPort;

  abstract Jdk jdk();

  /** True to run on HikariCP 4.0.3 instead of the 6.3.0 on the test class path. */
  abstract boolean hikari4();

  /** A fresh database (created if the server needs that) and the JDBC URL that reaches it. */
  abstract String databaseUrl(String database);

  /** {@code user} and {@code password} query parameters for {@code /open}, or an empty string. */
  abstract String credentials();

  @BeforeAll
  void startApplication() {
    List<String> classpath = new ArrayList<>(AgentJvm.Builder.defaultClasspath());
    if (hikari4()) {
      Path flavor = Paths.get("target/flavors/hikari4/HikariCP-4.0.3.jar").toAbsolutePath();
      assertTrue(Files.isRegularFile(flavor), "missing " + flavor);
      boolean replaced = classpath.removeIf(e -> Paths.get(e).getFileName().toString().startsWith("HikariCP-"));
      assertTrue(replaced, "no HikariCP jar on the default class path: " + classpath);
      classpath.add(flavor.toString());
    }
    appPort = FreePort.next();
    app = AgentJvm.app(HikariPoolApp.class).jdk(jdk()).classpath(classpath).args(String.valueOf(appPort)).start();
    app.awaitLine("hikari-app ready", WAIT);
  }

  @AfterAll
  void stopApplication() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void metricsMatchThePoolsOwnMxBean() {
    String url = databaseUrl("vigil_match");
    command("/open?id=match&max=5&minIdle=5&url=" + enc(url) + credentials());
    try {
      // No pool name set: HikariCP generates HikariPool-N, the agent names it after the database.
      assertTrue(command("/stats?id=match").get("poolName").startsWith("HikariPool-"));
      app.await(() -> stats("match").get("total").equals("5"), WAIT, "the pool to fill to 5 connections");
      command("/hold?id=match&n=3");
      Map<String, String> stats = stats("match");
      MetricsSnapshot metrics = app.metrics();
      assertEquals(3, Integer.parseInt(stats.get("active")));
      assertEquals(Double.parseDouble(stats.get("active")), metrics.value("db_client_connection_count", POOL, "vigil_match", STATE, "used"));
      assertEquals(Double.parseDouble(stats.get("idle")), metrics.value("db_client_connection_count", POOL, "vigil_match", STATE, "idle"));
      assertEquals(5.0, metrics.value("db_client_connection_max", POOL, "vigil_match"));
      assertEquals(Double.parseDouble(stats.get("minIdle")), metrics.value("db_client_connection_idle_min", POOL, "vigil_match"));
      assertEquals(Double.parseDouble(stats.get("pending")), metrics.value("db_client_connection_pending_requests", POOL, "vigil_match"));
      assertEquals(3.0, metrics.value("db_client_connection_wait_time_seconds_count", POOL, "vigil_match"));
      assertEquals("gauge", metrics.types().get("db_client_connection_count"));
      assertEquals("histogram", metrics.types().get("db_client_connection_wait_time_seconds"));
      assertEquals("counter", metrics.types().get("db_client_connection_timeouts_total"));

      JsonNode check = check("hikari:vigil_match");
      assertNotNull(check, "the pool's readiness check is on /health");
      assertEquals("readiness", check.get("kind").asText());
      assertEquals("UP", check.get("status").asText());
      assertEquals(3, check.get("details").get("active").asInt());
      assertEquals(Integer.parseInt(stats.get("idle")), check.get("details").get("idle").asInt());
      assertEquals(0, check.get("details").get("pending").asInt());
      assertEquals(5, check.get("details").get("max").asInt());

      command("/release?id=match");
      metrics = app.metrics();
      assertEquals(0.0, metrics.value("db_client_connection_count", POOL, "vigil_match", STATE, "used"));
      assertEquals(5.0, metrics.value("db_client_connection_count", POOL, "vigil_match", STATE, "idle"));
      assertEquals(3.0, metrics.value("db_client_connection_use_time_seconds_count", POOL, "vigil_match"));
    } finally {
      command("/close?id=match");
    }
  }

  @Test
  void anExhaustedPoolFailsReadinessUntilItRecovers() {
    command("/open?id=exhausted&poolName=exhausted&max=2&minIdle=2&timeoutMs=400&url=" + enc(databaseUrl("vigil_exhausted")) + credentials());
    try {
      app.await(() -> stats("exhausted").get("total").equals("2"), WAIT, "the pool to fill");
      assertEquals(200, app.get("/health/ready").status());
      // Three threads for two connections, each holding 1.5 s; the third times out after 400 ms.
      command("/slow?id=exhausted&threads=3&holdMs=1500");

      AtomicBoolean sawPending = new AtomicBoolean();
      AtomicReference<MetricsSnapshot> last = new AtomicReference<>();
      app.await(() -> {
        MetricsSnapshot m = app.metrics();
        last.set(m);
        if (m.value("db_client_connection_pending_requests", POOL, "exhausted") > 0
            && m.value("db_client_connection_count", POOL, "exhausted", STATE, "used") == 2.0) {
          sawPending.set(true);
        }
        return sawPending.get() && m.value("db_client_connection_timeouts_total", POOL, "exhausted") > 0;
      }, WAIT, "used = max with pending requests, and counted timeouts");
      assertEquals(2.0, last.get().value("db_client_connection_max", POOL, "exhausted"));

      AtomicReference<AgentJvm.HttpResult> ready = new AtomicReference<>();
      app.await(() -> {
        ready.set(app.get("/health/ready"));
        return ready.get().status() == 503;
      }, WAIT, "/health/ready to answer 503");
      JsonNode down = find(app.json(ready.get()), "hikari:exhausted");
      assertNotNull(down, ready.get().body());
      assertEquals("DOWN", down.get("status").asText(), ready.get().body());
      assertTrue(down.get("reason").asText().contains("exhausted"), down.toString());
      assertEquals(2, down.get("details").get("max").asInt());
      assertEquals(0, down.get("details").get("idle").asInt(), down.toString());
      assertTrue(down.get("details").get("pending").asInt() > 0, down.toString());
      assertEquals("DOWN", app.json(app.get("/health")).get("status").asText());

      command("/stopSlow?id=exhausted");
      app.await(() -> app.get("/health/ready").status() == 200, WAIT, "/health/ready to recover to 200");
      assertEquals("UP", check("hikari:exhausted").get("status").asText());
      MetricsSnapshot after = app.metrics();
      assertEquals(0.0, after.value("db_client_connection_pending_requests", POOL, "exhausted"));
      assertEquals(0.0, after.value("db_client_connection_count", POOL, "exhausted", STATE, "used"));
      // Every timeout the application saw was counted, no more. The holders may still be
      // finishing a last borrow when they are stopped, so compare once both sides have settled.
      app.await(() -> Double.parseDouble(stats("exhausted").get("slowTimeouts"))
              == app.metrics().value("db_client_connection_timeouts_total", POOL, "exhausted"),
          WAIT, "the counted timeouts to equal the ones the application saw");
    } finally {
      command("/close?id=exhausted");
    }
  }

  @Test
  void theApplicationsOwnTrackerFactoryStillGetsEveryCallback() {
    command("/open?id=chain&poolName=chain&appFactory=true&max=3&minIdle=3&timeoutMs=300&url=" + enc(databaseUrl("vigil_chain")) + credentials());
    try {
      command("/borrow?id=chain&n=10");
      command("/hold?id=chain&n=3");
      Map<String, String> timedOut = get("/borrow?id=chain&n=1");
      assertTrue(timedOut.getOrDefault("error", "").contains("SQLTransientConnectionException"), timedOut.toString());
      command("/release?id=chain");

      Map<String, String> tracker = command("/tracker?id=chain");
      MetricsSnapshot metrics = app.metrics();
      assertEquals("chain", tracker.get("poolName"));
      assertEquals("1", tracker.get("trackers"), "HikariCP built the application's tracker once, as without the agent");
      assertEquals(14, Integer.parseInt(tracker.get("acquired")), tracker.toString());
      assertEquals(13, Integer.parseInt(tracker.get("used")), tracker.toString());
      assertEquals(1, Integer.parseInt(tracker.get("timeouts")), tracker.toString());
      assertEquals(Double.parseDouble(tracker.get("acquired")), metrics.value("db_client_connection_wait_time_seconds_count", POOL, "chain"));
      assertEquals(Double.parseDouble(tracker.get("used")), metrics.value("db_client_connection_use_time_seconds_count", POOL, "chain"));
      assertEquals(Double.parseDouble(tracker.get("timeouts")), metrics.value("db_client_connection_timeouts_total", POOL, "chain"));
      assertEquals(Double.parseDouble(tracker.get("created")), metrics.value("db_client_connection_create_time_seconds_count", POOL, "chain"));
    } finally {
      Map<String, String> closed = command("/close?id=chain");
      assertEquals("1", closed.get("closed"), "the application's tracker is closed with the pool: " + closed);
    }

  }

  @Test
  void twoPoolsOnTheSameDatabaseAreToldApart() {
    String url = databaseUrl("vigil_twin");
    command("/open?id=twin1&max=2&minIdle=2&url=" + enc(url) + credentials());
    command("/open?id=twin2&max=3&minIdle=3&url=" + enc(url) + credentials());
    try {
      app.await(() -> stats("twin1").get("total").equals("2") && stats("twin2").get("total").equals("3"), WAIT,
          "both pools to fill");
      command("/hold?id=twin2&n=1");
      MetricsSnapshot metrics = app.metrics();
      assertEquals(2.0, metrics.value("db_client_connection_max", POOL, "vigil_twin"));
      assertEquals(3.0, metrics.value("db_client_connection_max", POOL, "vigil_twin-2"));
      assertEquals(0.0, metrics.value("db_client_connection_count", POOL, "vigil_twin", STATE, "used"));
      assertEquals(1.0, metrics.value("db_client_connection_count", POOL, "vigil_twin-2", STATE, "used"));
      assertEquals(Double.parseDouble(stats("twin2").get("idle")),
          metrics.value("db_client_connection_count", POOL, "vigil_twin-2", STATE, "idle"));
      assertNotNull(check("hikari:vigil_twin"));
      assertNotNull(check("hikari:vigil_twin-2"));
    } finally {
      command("/close?id=twin1");
      command("/close?id=twin2");
    }
  }

  @Test
  void aClosedPoolDisappearsFromMetricsAndHealth() {
    command("/open?id=gone&poolName=gone&max=2&minIdle=2&url=" + enc(databaseUrl("vigil_gone")) + credentials());
    command("/borrow?id=gone&n=2");
    assertFalse(poolSamples(app.metrics(), "gone").isEmpty());
    assertNotNull(check("hikari:gone"));

    command("/close?id=gone");
    assertEquals(List.of(), poolSamples(app.metrics(), "gone"), "no stale series for a closed pool");
    assertNull(check("hikari:gone"), "no check for a closed pool");
    assertEquals(200, app.get("/health/ready").status());
    assertTrue(app.output().contains("HikariCP pool gone (\"gone\") closed"), app.output());
  }

  @org.junit.jupiter.api.AfterEach
  void noInstrumentationErrors() {
    // Advice, bridge and listener failures are all counted here; none may happen.
    assertEquals(0.0, app.metrics().value("vigil_agent_instrumentation_errors_total", "instrumentation", "hikari"),
        app.output());
    assertFalse(app.output().contains("Exception"), app.output());
  }

  private static List<Sample> poolSamples(MetricsSnapshot metrics, String pool) {
    return metrics.samples().stream().filter(s -> pool.equals(s.label(POOL))).toList();
  }

  private JsonNode check(String name) {
    return find(app.json(app.get("/health")), name);
  }

  private static JsonNode find(JsonNode health, String name) {
    for (JsonNode check : health.get("checks")) {
      if (check.get("name").asText().equals(name)) {
        return check;
      }
    }
    return null;
  }

  private Map<String, String> stats(String id) {
    return command("/stats?id=" + id);
  }

  private Map<String, String> command(String pathAndQuery) {
    Map<String, String> answer = get(pathAndQuery);
    assertEquals("true", answer.get("ok"), pathAndQuery + " failed: " + answer + "\nOutput:\n" + app.output());
    return answer;
  }

  private Map<String, String> get(String pathAndQuery) {
    try {
      HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      Map<String, String> answer = new LinkedHashMap<>();
      for (String line : response.body().split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          answer.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return answer;
    } catch (IOException e) {
      throw new AssertionError(pathAndQuery + ": " + e + "\nOutput:\n" + app.output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
