package io.vigil.it.servlet;

import static io.vigil.it.servlet.ServletChecks.HISTOGRAM;
import static io.vigil.it.servlet.ServletChecks.added;
import static io.vigil.it.servlet.ServletChecks.count;
import static io.vigil.it.servlet.ServletChecks.attribute;
import static io.vigil.it.servlet.ServletChecks.hex;
import static io.vigil.it.servlet.ServletChecks.servletExceptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import io.vigil.it.harness.Sample;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The servlet instrumentation against one real container, started once with the agent attached
 * (one JVM per subclass). The tests share the application but not their numbers: each sends the
 * requests it counts and asserts on what they added (counts before and after), and finds its spans
 * by paths or trace ids of its own, so any test passes alone and in any order (JUnit's default
 * order; a run with {@code junit.jupiter.testmethod.order.default} set to {@code
 * org.junit.jupiter.api.MethodOrderer$Random} shuffles them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServletScenarios {

  static final int MAX_ROUTES = 40;
  /**
   * One request per route the tests count, sent before any test. The flood test fills the
   * folded-path budget and the cap test the route budget; whenever they run, these routes are
   * admitted already and never fold into {@code /**} or the overflow route. Not {@code /log}: the log test reads the first line that page logs.
   */
  private static final List<String> ROUTES_ADMITTED_AT_START = List.of(
      "/hello", "/items/start", "/start.do", "/legacy/1", "/no/such/page-start", "/status500", "/boom",
      "/sleep", "/async", "/trace");
  /** A parent that was not sampled: the requests are counted in the metrics but export no span. */
  private static final String UNSAMPLED = "00-5a3c0f4bd7a1e2f90c6e8b7d4a1f2e3c-7c1d2e3f4a5b6c7d-00";
  /** The agent's budget of folded request paths, separate from MAX_ROUTES (see the README). */
  static final int MAX_FOLDED_ROUTES = 100;
  private static final int HOSTILE_KINDS = 5;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long HEAP_GROWTH_LIMIT = 8L * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final HttpClient hostileHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OtlpReceiver otlp;
  private AgentJvm app;
  private int appPort;

  /** The folder under {@code integration-tests/apps/}. */
  abstract String flavor();

  abstract String mainClass();

  @BeforeAll
  void start() throws IOException {
    Path dir = Paths.get(System.getProperty("vigil.servlet.apps.dir", "apps")).resolve(flavor()).resolve("target");
    List<String> classpath = new ArrayList<>();
    classpath.add(dir.resolve("classes").toString());
    classpath.addAll(List.of(Files.readString(dir.resolve("app-classpath.txt")).trim().split(java.io.File.pathSeparator)));
    otlp = new OtlpReceiver();
    appPort = FreePort.next();
    app = AgentJvm.app(mainClass())
        .classpath(classpath)
        .otlp(otlp)
        .property("vigil.http.route.max-cardinality", Integer.toString(MAX_ROUTES))
        .args("--port=" + appPort)
        .start();
    app.awaitLine("serving on " + appPort, WAIT);
    for (String path : ROUTES_ADMITTED_AT_START) {
      send(path, UNSAMPLED);
    }
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    if (otlp != null) {
      otlp.close();
    }
  }

  @Test
  void readyOnceTheContainerInitialised() {
    assertEquals(200, app.get("/health/ready").status());
    JsonNode checks = app.json(app.get("/health")).get("checks");
    boolean found = false;
    for (JsonNode check : checks) {
      if ("application".equals(check.get("name").asText())) {
        found = true;
        assertEquals("readiness", check.get("kind").asText());
        assertEquals("UP", check.get("status").asText());
      }
    }
    assertTrue(found, "no 'application' check in " + checks);
  }

  @Test
  void exactCountsPerRouteForExactPathAndExtensionMappings() {
    MetricsSnapshot before = app.metrics();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send("/hello").statusCode());
    }
    for (String path : List.of("/items/42", "/items/abc", "/items/7/parts")) {
      assertEquals(200, send(path).statusCode());
    }
    assertEquals(200, send("/buy.do").statusCode());
    assertEquals(200, send("/sell.do").statusCode());

    MetricsSnapshot metrics = app.metrics();
    assertEquals(3, added(before, metrics, "/hello", "200", ""));
    assertEquals(3, added(before, metrics, "/items/*", "200", ""));
    assertEquals(2, added(before, metrics, "/*.do", "200", ""));
    assertFalse(metrics.has(HISTOGRAM + "_count", "http_route", "/items/42"));
    assertEquals(0, metrics.value("http_server_active_requests", "http_request_method", "GET"));
  }

  @Test
  void notFoundStatusAndThrownErrors() {
    MetricsSnapshot before = app.metrics();
    for (int i = 0; i < 2; i++) {
      assertEquals(404, send("/no/such/page-" + i).statusCode());
      assertEquals(500, send("/status500").statusCode());
      assertEquals(500, send("/boom").statusCode());
    }
    MetricsSnapshot metrics = app.metrics();
    // A 404 from the container never mints a route of its own.
    assertEquals(2, added(before, metrics, "/**", "404", ""));
    assertFalse(metrics.has(HISTOGRAM + "_count", "http_route", "/no/such/page-0"));
    assertEquals(2, added(before, metrics, "/status500", "500", "500"));
    assertEquals(2, added(before, metrics, "/boom", "500", "java.lang.IllegalStateException"));
    assertEquals(2, servletExceptions(metrics, "java.lang.IllegalStateException")
        - servletExceptions(before, "java.lang.IllegalStateException"));
  }

  @Test
  void filterAndForwardCountOnceWithTheClientsRoute() {
    MetricsSnapshot before = app.metrics();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = send("/legacy/" + (100 + i));
      assertEquals(200, response.statusCode());
      assertEquals("ok /items/" + (100 + i), response.body());
    }
    MetricsSnapshot metrics = app.metrics();
    assertEquals(3, added(before, metrics, "/legacy/{id}", "200", ""));
    assertEquals(0, added(before, metrics, "/items/*", "200", ""), "the forward target must not count again");
  }

  @Test
  void sleepingServletLandsInItsBucket() {
    MetricsSnapshot before = app.metrics();
    for (int i = 0; i < 2; i++) {
      assertEquals(200, send("/sleep").statusCode());
    }
    MetricsSnapshot metrics = app.metrics();
    // 300 ms of sleep: never at or below 0.25 s, and well within 2.5 s on any machine.
    assertEquals(0, bucket(metrics, "/sleep", "0.25") - bucket(before, "/sleep", "0.25"));
    assertEquals(2, bucket(metrics, "/sleep", "2.5") - bucket(before, "/sleep", "2.5"));
    double sum = sum(metrics, "/sleep") - sum(before, "/sleep");
    assertTrue(sum >= 0.6 && sum < 5, "sum " + sum);
  }

  @Test
  void asyncRequestIsMeasuredToCompletion() {
    MetricsSnapshot before = app.metrics();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> response = send("/async");
      assertEquals(200, response.statusCode());
      assertEquals("async done", response.body());
    }
    app.await(() -> added(before, app.metrics(), "/async", "200", "") == 2, WAIT, "two async requests recorded");
    MetricsSnapshot metrics = app.metrics();
    // service() returns at once; only the async work's 300 ms puts it past 0.25 s.
    assertEquals(0, bucket(metrics, "/async", "0.25") - bucket(before, "/async", "0.25"));
    assertEquals(2, bucket(metrics, "/async", "2.5") - bucket(before, "/async", "2.5"));
    assertEquals(0, metrics.value("http_server_active_requests", "http_request_method", "GET"));
    List<Span> spans = awaitSpans(s -> "/async".equals(attribute(s, "url.path")), 2);
    for (Span span : spans) {
      assertEquals("GET /async", span.getName());
      assertTrue(span.getEndTimeUnixNano() - span.getStartTimeUnixNano() >= 290_000_000L, "span covers the async work");
    }
    // The async task ran in the request's context: its log line carries the request's trace id.
    String traceId = HexFormat.of().formatHex(spans.get(0).getTraceId().toByteArray());
    app.awaitLine("trace_id=" + traceId + " ", WAIT);
  }

  @Test
  void incomingTraceparentIsContinuedAndAMalformedOneIgnored() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    assertEquals(200, send("/trace", "00-" + traceId + "-" + parentId + "-01").statusCode());
    assertEquals(200, send("/items/malformed", "00-zz-not-a-trace-01").statusCode());

    Span continued = awaitSpans(s -> "/trace".equals(attribute(s, "url.path")), 1).get(0);
    assertEquals(traceId, hex(continued.getTraceId().toByteArray()));
    assertEquals(parentId, hex(continued.getParentSpanId().toByteArray()));
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, continued.getKind());
    assertEquals("GET /trace", continued.getName());
    assertEquals("/trace", attribute(continued, "http.route"));
    assertEquals("GET", attribute(continued, "http.request.method"));
    assertEquals("http", attribute(continued, "url.scheme"));
    assertEquals("200", attribute(continued, "http.response.status_code"));
    assertEquals(Integer.toString(appPort), attribute(continued, "server.port"));
    assertEquals("127.0.0.1", attribute(continued, "client.address"));
    assertEquals("1.1", attribute(continued, "network.protocol.version"));

    Span fresh = awaitSpans(s -> "/items/malformed".equals(attribute(s, "url.path")), 1).get(0);
    assertTrue(fresh.getParentSpanId().isEmpty(), "a malformed traceparent starts a new trace");
    assertEquals(16, fresh.getTraceId().size());
    assertEquals("GET /items/*", fresh.getName());
  }

  @Test
  void errorSpansCarryTheExceptionAndErrorStatus() {
    String traceId = "6e0c63257de34c926f9efcd03927272e";
    assertEquals(500, send("/boom", "00-" + traceId + "-53995c3f42cd8ad8-01").statusCode());
    Span boom = awaitSpans(s -> traceId.equals(hex(s.getTraceId().toByteArray())), 1).get(0);
    assertEquals("GET /boom", boom.getName());
    assertEquals(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR, boom.getStatus().getCode());
    assertEquals("java.lang.IllegalStateException", attribute(boom, "error.type"));
    assertTrue(boom.getEventsList().stream().anyMatch(e -> e.getName().equals("exception")));
  }

  @Test
  void traceIdIsInTheApplicationsOwnLogLine() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    assertEquals(200, send("/log", "00-" + traceId + "-b7ad6b7169203331-01").statusCode());
    String line = app.awaitLine("handled /log", WAIT);
    assertTrue(line.contains("trace_id=" + traceId + " "), line);
    assertFalse(line.contains("span_id= "), line);
    // Removed afterwards: a line logged by the container thread outside a request has none.
  }

  @Test
  void exemplarsInOpenMetrics() {
    // A bucket's exemplar is replaced at most once a second, so another test's /hello may hold it
    // for a moment: send traced requests until one of this test's own trace ids shows up.
    Set<String> sent = new TreeSet<>();
    List<Sample> ours = new ArrayList<>();
    app.await(() -> {
      String traceId = String.format("%032x", System.nanoTime());
      sent.add(traceId);
      assertEquals(200, send("/hello", "00-" + traceId + "-00f067aa0ba902b7-01").statusCode());
      ours.clear();
      app.openMetrics().find(HISTOGRAM + "_bucket", "http_route", "/hello").stream()
          .filter(s -> s.exemplarLabels() != null && sent.contains(s.exemplarLabels().get("trace_id")))
          .forEach(ours::add);
      return !ours.isEmpty();
    }, WAIT, "an exemplar carrying the trace id of a /hello this test sent");
    Map<String, String> exemplar = ours.get(0).exemplarLabels();
    assertEquals(16, exemplar.get("span_id").length());
    assertFalse(exemplar.get("span_id").equals("00f067aa0ba902b7"), "the server span's id, not the caller's");
  }

  @Test
  void floodOfUnmatchedUrlsNeitherGrowsMemoryNorHidesRealRoutes() throws Exception {
    int requests = Integer.getInteger("vigil.it.servlet.distinct-urls", 100_000);
    int warmUp = Math.min(5_000, requests / 10);
    // The folded-path budget is full and the container's pools are warm before the first
    // measurement, so what the second one adds is what the remaining distinct URLs cost.
    sendHostile(0, warmUp);
    long heapBefore = liveHeapBytes();
    sendHostile(warmUp, requests);
    long heapAfter = liveHeapBytes();

    // A route the application defined, hit for the first time after the flood, is still its own.
    assertEquals(200, send("/late").statusCode());
    MetricsSnapshot metrics = app.metrics();
    assertEquals(1, count(metrics, "/late", "200", ""));
    Set<String> routes = new TreeSet<>();
    for (Sample s : metrics.find(HISTOGRAM + "_count")) {
      routes.add(s.label("http_route"));
    }
    assertFalse(routes.contains("_OTHER"), "no application route overflowed: " + routes);
    assertEquals(0, metrics.value("vigil_agent_route_overflow_total"));
    routes.remove("/**");
    assertTrue(routes.size() <= MAX_ROUTES + MAX_FOLDED_ROUTES, routes.size() + " routes: " + routes);
    double folded = metrics.value("vigil_agent_label_overflow_total", "label", "http_route");
    assertTrue(folded >= requests / HOSTILE_KINDS - MAX_FOLDED_ROUTES, "folded overflows " + folded);
    // Nearly every denial is counted under /**: a few requests may have been cut with a connection
    // the container closed after refusing another, and every 500th 403 is the 8 KB path, which the
    // connector may refuse before any filter runs.
    assertTrue(count(metrics, "/**", "401", "") >= 0.9 * requests / HOSTILE_KINDS, "401s under /**");
    assertTrue(count(metrics, "/**", "403", "") >= 0.9 * requests / HOSTILE_KINDS, "403s under /**");
    System.out.printf("%s: routes after the flood %s%n", flavor(), routes);
    // Anything kept per distinct URL, even 100 bytes, would add ~9 MiB over these requests.
    long grown = heapAfter - heapBefore;
    System.out.printf("%s: live heap %d KiB after %d distinct URLs, %d KiB after %d%n",
        flavor(), heapBefore / 1024, warmUp, heapAfter / 1024, requests);
    assertTrue(grown < HEAP_GROWTH_LIMIT, "live heap grew by " + grown / 1024 + " KiB over "
        + (requests - warmUp) + " distinct URLs (" + heapBefore / 1024 + " KiB -> " + heapAfter / 1024 + " KiB)");
    assertTrue(app.isAlive());
  }

  /**
   * Sends request i in [from, to) from 8 threads, each a distinct URL no application route
   * matches, by kind ({@code i % HOSTILE_KINDS}): {@code /free/<letters>} that a filter answers 200,
   * {@code /private/<id>/12} that a security filter denies with 401, {@code /admin/12/<id>} and
   * every 500th an 8 KB path that it denies with 403, path traversal, percent-encoded junk. Each
   * must get an answer; only the {@code /free/} ones must be 200.
   */
  private void sendHostile(int from, int to) throws Exception {
    int threads = 8;
    String longSegment = "a".repeat(8000);
    AtomicInteger next = new AtomicInteger(from);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < to) {
            // Letters only, so that folding keeps every path distinct: only the caps bound them.
            String word = letters(i);
            String path;
            switch (i % HOSTILE_KINDS) {
              case 0 -> path = "/free/" + word;
              case 1 -> path = "/private/x" + Integer.toString(i, 36) + "Kq/12";
              case 2 -> path = i % 500 == 2 ? "/admin/" + longSegment + word : "/admin/12/" + word;
              case 3 -> path = "/items/%2e%2e/%2e%2e/%2e%2e/etc/" + word;
              default -> path = "/%C0%AE%C0%AE/" + word + "%00%ff";
            }
            if (i % HOSTILE_KINDS == 0) {
              int status = send(path).statusCode();
              if (status != 200) {
                throw new AssertionError("request " + i + " to " + path + " answered " + status);
              }
            } else {
              sendHostileOnce(path);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Sends one hostile request on a client of its own: a container may close the connection of a
   * request it refuses (Jetty does, after a 400), and a request that happened to reuse it fails.
   * Such a request is tried once more on a fresh connection, and may be refused again.
   */
  private void sendHostileOnce(String path) {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        ServletChecks.send(hostileHttp, appPort, path, null);
        return;
      } catch (java.io.UncheckedIOException refused) {
        // The connection was closed under the request; see above.
      }
    }
  }

  /** The application's heap right after a full collection that {@code jcmd GC.run} asked for. */
  private long liveHeapBytes() throws Exception {
    Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.run")
        .redirectErrorStream(true)
        .start();
    String out = new String(gc.getInputStream().readAllBytes());
    assertEquals(0, gc.waitFor(), "jcmd GC.run: " + out);
    return (long) app.metrics().value("jvm_memory_bytes_used", "area", "heap");
  }

  // --- helpers

  private HttpResponse<String> send(String path) {
    return send(path, null);
  }

  private HttpResponse<String> send(String path, String traceparent) {
    return ServletChecks.send(http, appPort, path, traceparent);
  }

  private static double bucket(MetricsSnapshot metrics, String route, String le) {
    List<Sample> found = metrics.find(HISTOGRAM + "_bucket", "http_route", route, "le", le);
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  private static double sum(MetricsSnapshot metrics, String route) {
    List<Sample> found = metrics.find(HISTOGRAM + "_sum", "http_route", route);
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  private List<Span> awaitSpans(Predicate<Span> which, int atLeast) {
    return ServletChecks.awaitSpans(app, otlp, which, atLeast, WAIT);
  }

  private static String letters(int n) {
    StringBuilder s = new StringBuilder("p");
    do {
      s.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return s.toString();
  }
}
