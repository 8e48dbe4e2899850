package io.vigil.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vigil.it.apps.SentryApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Error tracking end to end on the Spring Boot 3 test application, started once with the agent:
 * exceptions escaping two controllers, one an {@code @ExceptionHandler} answers with a 500 and a
 * JDBC error the controller catches, each thrown several times with different ids in the message.
 * {@code /errors} must show each failure once with its count, template, route and trace id, and
 * the new-group metric must count each once. A WireMock server stands in for Sentry: it must
 * receive each group's first event and then no more than {@code errors.sentry.rate} a minute, as
 * envelopes whose every field is checked, and a {@code 429} from it must stop the sending.
 *
 * <p>The tests share the application but not their numbers, so any test passes alone and in any
 * order: each sends the failures it counts and asserts what they added (counts, groups and metrics
 * before and after), and waits until the agent recorded its requests by their trace ids. The agent
 * records an error when the request ends, which can be after the client has the response (Spring
 * flushes an {@code @ExceptionHandler}'s or a controller's body before its servlet returns), so a
 * test never reads {@code /errors} right after a response. The tests that need a group's first
 * event send failures no other test sends. What the agent's Sentry forwarding keeps across tests
 * (the one-minute rate window, a {@code 429}'s wait, events still queued) is waited out by the
 * tests that count envelopes, and each of them sets the stand-in's stubs and journal afresh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorTrackingIT {

  private static final Duration START = Duration.ofSeconds(120);
  private static final String MAIN_CLASS = "io.vigil.it.springapp.PetClinicApp";
  private static final String CHECKOUT = "/orders/{orderId}/checkout";
  private static final String INVOICE = "/invoices/{invoiceId}";
  private static final String PAYMENT = "/payments/{paymentId}";
  private static final String REPORT = "/reports/{reportId}";
  /** Sent by the Sentry test only. */
  private static final String CART = "/carts/{cartId}/checkout";
  private static final String AUDIT = "/audits/{auditId}";
  /** Sent by the 429 test only. */
  private static final String INVENTORY = "/inventory/{sku}";
  private static final String SHIPMENT = "/shipments/{shipmentId}";

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ENVELOPES = "/api/42/envelope/";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** errors.sentry.rate counts in fixed one-minute windows. */
  private static final long RATE_WINDOW_MILLIS = 60_000L;
  /** What the 429 test's Sentry asks for: short, so that the Sentry test can wait it out. */
  private static final int RETRY_AFTER_SECONDS = 30;
  private static final String[] DROP_REASONS = {"rate", "queue_full", "rate_limited", "send_failed"};

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final WireMockServer sentry = new WireMockServer(options().dynamicPort());
  private OtlpReceiver otlp;
  private AgentJvm app;
  private int appPort;
  /** The trace id of the last request sent to each route, and of all of them. */
  private final Map<String, String> lastTrace = new HashMap<>();
  private final Map<String, Set<String>> traces = new HashMap<>();
  /** Wall clock after the last failing request, whichever test sent it: its rate window ends a minute later. */
  private long lastFailureSentMillis;
  /** Until when the agent holds its events back because the 429 test's Sentry asked it to. */
  private long sentryQuietUntilMillis;

  @BeforeAll
  void start() throws IOException {
    Path dir = Paths.get(System.getProperty("vigil.servlet.apps.dir", "apps")).resolve("springboot3").resolve("target");
    List<String> classpath = new ArrayList<>();
    classpath.add(dir.resolve("classes").toString());
    classpath.addAll(List.of(Files.readString(dir.resolve("app-classpath.txt")).trim().split(File.pathSeparator)));
    otlp = new OtlpReceiver();
    sentry.start();
    stubSentryAccepting();
    appPort = FreePort.next();
    app = AgentJvm.app(MAIN_CLASS)
        .classpath(classpath)
        .otlp(otlp)
        .property("vigil.service.name", "shop")
        .property("vigil.resource.attributes", "service.version=3.1.4")
        .property("vigil.errors.sentry.dsn", "http://vigilkey@127.0.0.1:" + sentry.port() + "/42")
        .property("vigil.errors.sentry.rate", "2")
        .property("vigil.errors.environment", "it")
        .args("--server.port=" + appPort)
        .start();
    app.awaitLine("Started PetClinicApp in ", START);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    if (otlp != null) {
      otlp.close();
    }
    sentry.stop();
  }

  /** Forgets the stand-in's requests and stubs; it answers the agent's envelopes with a 200. */
  private void stubSentryAccepting() {
    sentry.resetAll();
    sentry.stubFor(post(urlEqualTo(ENVELOPES)).willReturn(aResponse().withStatus(200).withBody("{}")));
  }

  /** Sends with a traceparent of its own, so that the group's last trace id can be checked exactly. */
  private int send(String route, String path) {
    String traceId = randomHex(16);
    lastTrace.put(route, traceId);
    traces.computeIfAbsent(route, r -> new HashSet<>()).add(traceId);
    int status = ServletChecks.send(http, appPort, path, "00-" + traceId + "-" + randomHex(8) + "-01").statusCode();
    lastFailureSentMillis = System.currentTimeMillis();
    return status;
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return ServletChecks.hex(random);
  }

  private JsonNode errors(String query) {
    AgentJvm.HttpResult result = app.get("/errors" + query);
    assertEquals(200, result.status(), result.body());
    assertTrue(result.contentType().startsWith("application/json"), result.contentType());
    return app.json(result);
  }

  private static Map<String, JsonNode> byRoute(JsonNode groups) {
    Map<String, JsonNode> found = new HashMap<>();
    for (JsonNode group : groups) {
      for (JsonNode route : group.get("routes")) {
        assertFalse(found.containsKey(route.asText()), "two groups on " + route + ": " + groups);
        found.put(route.asText(), group);
      }
    }
    return found;
  }

  /** The count of the group on {@code route}; 0 when there is none yet. */
  private static long count(Map<String, JsonNode> byRoute, String route) {
    JsonNode group = byRoute.get(route);
    return group == null ? 0 : group.get("count").asLong();
  }

  /**
   * Waits until the group of each route has the count given and the trace id of the last request
   * sent to it: the agent records an error (a JDBC error's route) when its request ends, which may
   * be after the response reached the client.
   */
  private void awaitRecorded(Map<String, Long> counts) {
    app.await(() -> {
      Map<String, JsonNode> routes = byRoute(errors("").get("groups"));
      for (Map.Entry<String, Long> expected : counts.entrySet()) {
        JsonNode group = routes.get(expected.getKey());
        if (group == null
            || group.get("count").asLong() != expected.getValue()
            || !lastTrace.get(expected.getKey()).equals(group.get("lastTraceId").asText())) {
          return false;
        }
      }
      return true;
    }, WAIT, "the agent to record " + counts);
  }

  @Test
  void eachDistinctFailureIsOneGroupWithItsCountTemplateRouteAndTrace() {
    JsonNode before = errors("");
    Map<String, JsonNode> routesBefore = byRoute(before.get("groups"));
    int heldBefore = before.get("held").asInt();
    // Other tests may have opened some of these groups already (the payment test does).
    int opened = 0;
    for (String route : List.of(CHECKOUT, INVOICE, PAYMENT, REPORT)) {
      opened += routesBefore.containsKey(route) ? 0 : 1;
    }
    double newBefore = app.metrics().value("vigil_error_groups_new_total");

    for (int id : new int[] {1, 22, 333}) {
      assertEquals(500, send(CHECKOUT, "/orders/" + id + "/checkout"));
    }
    for (int id : new int[] {5, 6}) {
      assertEquals(500, send(INVOICE, "/invoices/" + id));
    }
    for (int id : new int[] {7, 8}) {
      assertEquals(500, send(PAYMENT, "/payments/" + id));
    }
    for (int id : new int[] {9, 10}) {
      assertEquals(200, send(REPORT, "/reports/" + id));
    }
    awaitRecorded(Map.of(
        CHECKOUT, count(routesBefore, CHECKOUT) + 3,
        INVOICE, count(routesBefore, INVOICE) + 2,
        PAYMENT, count(routesBefore, PAYMENT) + 2,
        REPORT, count(routesBefore, REPORT) + 2));

    JsonNode document = errors("");
    JsonNode groups = document.get("groups");
    assertEquals(heldBefore + opened, groups.size(), groups.toString());
    assertEquals(heldBefore + opened, document.get("held").asInt());
    assertEquals(500, document.get("maxGroups").asInt());
    Map<String, JsonNode> routes = byRoute(groups);

    JsonNode checkout = routes.get(CHECKOUT);
    assertEquals("java.lang.IllegalStateException", checkout.get("type").asText());
    assertEquals("Order <num> of <email> cannot be checked out", checkout.get("message").asText());
    assertEquals(count(routesBefore, CHECKOUT) + 3, checkout.get("count").asInt());
    assertEquals("servlet", checkout.get("source").asText());
    assertEquals(lastTrace.get(CHECKOUT), checkout.get("lastTraceId").asText());
    assertTrue(checkout.get("stackTrace").get(1).asText().contains("io.vigil.it.springapp.FailureController.checkout"),
        checkout.get("stackTrace").toString());

    JsonNode invoice = routes.get(INVOICE);
    assertEquals("java.lang.IllegalStateException", invoice.get("type").asText(), "same type, another place");
    assertNotEquals(checkout.get("fingerprint").asText(), invoice.get("fingerprint").asText());
    assertEquals("Invoice <num> is locked by '<str>'", invoice.get("message").asText());
    assertEquals(count(routesBefore, INVOICE) + 2, invoice.get("count").asInt());

    JsonNode payment = routes.get(PAYMENT);
    assertEquals("io.vigil.it.springapp.FailureController$PaymentDeclinedException", payment.get("type").asText());
    assertEquals("Payment <num> declined, card ending <num>", payment.get("message").asText());
    assertEquals(count(routesBefore, PAYMENT) + 2, payment.get("count").asInt());
    assertEquals(lastTrace.get(PAYMENT), payment.get("lastTraceId").asText());

    JsonNode report = routes.get(REPORT);
    assertEquals("org.h2.jdbc.JdbcSQLSyntaxErrorException", report.get("type").asText());
    assertEquals("jdbc", report.get("source").asText());
    // H2's "table not found (this database is empty)".
    assertEquals("42S04", report.get("sqlState").asText());
    assertEquals(42104, report.get("vendorCode").asInt());
    assertEquals(count(routesBefore, REPORT) + 2, report.get("count").asInt());
    assertEquals(lastTrace.get(REPORT), report.get("lastTraceId").asText());
    assertTrue(report.get("message").asText().startsWith("Table \"<str>\" not found"), report.get("message").asText());

    for (JsonNode group : groups) {
      assertTrue(group.get("fingerprint").asText().matches("[0-9a-f]{16}"), group.toString());
      assertFalse(group.toString().contains("@example.com"), "a raw message left the process: " + group);
      assertFalse(group.toString().contains("4242"), "a raw message left the process: " + group);
    }
    // Most recently seen first: the report requests came last.
    assertEquals(report.get("fingerprint").asText(), groups.get(0).get("fingerprint").asText());

    MetricsSnapshot metrics = app.metrics();
    assertEquals(heldBefore + opened, metrics.value("vigil_error_groups"));
    assertEquals(opened, metrics.value("vigil_error_groups_new_total") - newBefore);
  }

  private List<LoggedRequest> envelopes() {
    return sentry.findAll(postRequestedFor(urlEqualTo(ENVELOPES)));
  }

  private void awaitEnvelopes(int count) {
    app.await(() -> envelopes().size() >= count, WAIT, count + " envelopes at the Sentry stand-in");
  }

  /** The event of an envelope: its third line, after the envelope and item headers. */
  private static JsonNode event(LoggedRequest request) throws IOException {
    String[] lines = request.getBodyAsString().split("\n");
    assertEquals(3, lines.length, request.getBodyAsString());
    JsonNode item = JSON.readTree(lines[1]);
    assertEquals("event", item.get("type").asText());
    assertEquals(lines[2].getBytes(java.nio.charset.StandardCharsets.UTF_8).length, item.get("length").asInt());
    JsonNode event = JSON.readTree(lines[2]);
    assertEquals(JSON.readTree(lines[0]).get("event_id"), event.get("event_id"));
    return event;
  }

  private double dropped(String reason) {
    return app.metrics().value("vigil_error_events_dropped_total", "reason", reason);
  }

  /**
   * Waits until the agent's Sentry sender has dealt with every event recorded so far (sent or
   * dropped for a reason), so that none of another test's reaches the stand-in later.
   */
  private void awaitSentryIdle() {
    app.await(() -> {
      long recorded = 0;
      for (JsonNode group : errors("").get("groups")) {
        recorded += group.get("count").asLong();
      }
      MetricsSnapshot metrics = app.metrics();
      double handled = metrics.value("vigil_error_events_sent_total");
      for (String reason : DROP_REASONS) {
        handled += metrics.value("vigil_error_events_dropped_total", "reason", reason);
      }
      return (long) handled == recorded;
    }, WAIT, "the Sentry sender to send or drop every event recorded");
  }

  /**
   * Waits until the agent would forward again as if it had just started: a 429's wait is over and
   * the rate window of the last repeat another test sent has ended, so the next repeat opens a new
   * one. Waits nothing when this test runs alone.
   */
  private void awaitSentryAsAtStart() throws InterruptedException {
    awaitSentryIdle();
    long freshWindow = lastFailureSentMillis == 0 ? 0 : lastFailureSentMillis + RATE_WINDOW_MILLIS + 2_000;
    long wait = Math.max(freshWindow, sentryQuietUntilMillis) - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  @Test
  void sentryGetsEachGroupsFirstEventThenAtMostTheRateAsCheckedEnvelopes() throws IOException, InterruptedException {
    awaitSentryAsAtStart();
    stubSentryAccepting();
    Map<String, JsonNode> routesBefore = byRoute(errors("").get("groups"));
    assertFalse(routesBefore.containsKey(CART) || routesBefore.containsKey(AUDIT), "only this test sends them");
    double rateBefore = dropped("rate");
    for (int id : new int[] {1, 22, 333, 4444}) {
      assertEquals(500, send(CART, "/carts/" + id + "/checkout"));
    }
    for (int id : new int[] {9, 10, 11}) {
      assertEquals(200, send(AUDIT, "/audits/" + id));
    }
    awaitRecorded(Map.of(CART, 4L, AUDIT, 3L));

    // 2 groups' first events, and 2 of the 5 repeats (errors.sentry.rate=2 a minute).
    awaitEnvelopes(4);
    awaitSentryIdle();
    assertEquals(4, envelopes().size());
    assertEquals(3, dropped("rate") - rateBefore);

    Map<String, JsonNode> byRoute = byRoute(errors("").get("groups"));
    Set<String> fingerprints = new HashSet<>();
    JsonNode checkout = null;
    JsonNode report = null;
    for (LoggedRequest request : envelopes()) {
      assertEquals("application/x-sentry-envelope", request.getHeader("Content-Type"));
      assertTrue(request.getHeader("X-Sentry-Auth").contains("sentry_key=vigilkey"), request.getHeader("X-Sentry-Auth"));
      JsonNode event = event(request);
      fingerprints.add(event.get("fingerprint").get(0).asText());
      assertEquals("3.1.4", event.get("release").asText());
      assertEquals("it", event.get("environment").asText());
      assertEquals("java", event.get("platform").asText());
      assertEquals("error", event.get("level").asText());
      assertEquals("shop", event.get("tags").get("service.name").asText());
      assertFalse(event.toString().contains("@example.com"), "a raw message went to Sentry: " + event);
      if (event.get("fingerprint").get(0).asText().equals(byRoute.get(CART).get("fingerprint").asText())) {
        checkout = event;
      }
      if (event.get("fingerprint").get(0).asText().equals(byRoute.get(AUDIT).get("fingerprint").asText())) {
        report = event;
      }
    }
    Set<String> groups = Set.of(byRoute.get(CART).get("fingerprint").asText(), byRoute.get(AUDIT).get("fingerprint").asText());
    assertEquals(groups, fingerprints, "Sentry sees the groups /errors shows");

    assertEquals(CART, checkout.get("transaction").asText());
    assertEquals("servlet", checkout.get("tags").get("vigil.source").asText());
    JsonNode trace = checkout.get("contexts").get("trace");
    assertTrue(traces.get(CART).contains(trace.get("trace_id").asText()), trace.toString());
    assertTrue(trace.get("span_id").asText().matches("[0-9a-f]{16}"), trace.toString());
    JsonNode exception = checkout.get("exception").get("values");
    JsonNode thrown = exception.get(exception.size() - 1);
    assertEquals("IllegalStateException", thrown.get("type").asText());
    assertEquals("java.lang", thrown.get("module").asText());
    assertEquals("Cart <num> of <email> cannot be checked out", thrown.get("value").asText());
    boolean inApp = false;
    for (JsonNode frame : thrown.get("stacktrace").get("frames")) {
      if (frame.get("module").asText().equals("io.vigil.it.springapp.FailureController")
          && frame.get("function").asText().equals("cartCheckout")) {
        assertTrue(frame.get("in_app").asBoolean(), frame.toString());
        assertEquals("FailureController.java", frame.get("filename").asText());
        inApp = true;
      } else if (frame.get("module").asText().startsWith("org.springframework.")) {
        assertFalse(frame.get("in_app").asBoolean(), frame.toString());
      }
    }
    assertTrue(inApp, "the controller's frame: " + thrown);

    assertEquals("42S04", report.get("tags").get("db.response.status_code").asText());
    assertEquals("42104", report.get("tags").get("db.vendor_code").asText());
    assertEquals("db", report.get("contexts").get("trace").get("op").asText());
    assertEquals("JdbcSQLSyntaxErrorException", report.get("exception").get("values").get(0).get("type").asText());
  }

  @Test
  void moreOfTheSameOpensNoGroupAndTheQueryNarrowsTheList() {
    // The group exists before the request counted, whichever tests ran before this one.
    long before = count(byRoute(errors("").get("groups")), PAYMENT);
    assertEquals(500, send(PAYMENT, "/payments/98"));
    awaitRecorded(Map.of(PAYMENT, before + 1));
    double newBefore = app.metrics().value("vigil_error_groups_new_total");

    assertEquals(500, send(PAYMENT, "/payments/99"));
    // Spring flushed the handler's 500 before the request ended and the agent recorded it.
    awaitRecorded(Map.of(PAYMENT, before + 2));
    JsonNode newest = errors("?limit=1&since=1h").get("groups");
    assertEquals(1, newest.size());
    assertEquals(PAYMENT, newest.get(0).get("routes").get(0).asText());
    assertEquals(before + 2, newest.get(0).get("count").asInt());
    assertEquals(lastTrace.get(PAYMENT), newest.get(0).get("lastTraceId").asText());
    assertEquals(newBefore, app.metrics().value("vigil_error_groups_new_total"));
    assertEquals(400, app.get("/errors?since=yesterday").status());
    assertEquals(400, app.get("/errors?limit=0").status());
  }

  @Test
  void aTooManyRequestsFromSentryStopsSendingForItsRetryAfter() {
    // No other test's event may meet this stub.
    awaitSentryIdle();
    sentry.resetAll();
    sentry.stubFor(post(urlEqualTo(ENVELOPES))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))));
    try {
      double limitedBefore = dropped("rate_limited");
      double newBefore = app.metrics().value("vigil_error_groups_new_total");
      assertEquals(500, send(INVENTORY, "/inventory/A-17"));
      awaitEnvelopes(1);
      app.await(() -> dropped("rate_limited") == limitedBefore + 1, WAIT, "the 429 counted");
      // The agent took the 429 in before it counted it: its wait ends at the latest this long from now.
      sentryQuietUntilMillis = System.currentTimeMillis() + RETRY_AFTER_SECONDS * 1000L + 1_000;

      // A group never seen before would always be sent, but Sentry asked for quiet.
      assertEquals(500, send(SHIPMENT, "/shipments/3"));
      app.await(() -> dropped("rate_limited") == limitedBefore + 2, WAIT, "the held-back event counted");
      assertEquals(1, envelopes().size());
      assertEquals(newBefore + 2, app.metrics().value("vigil_error_groups_new_total"));
    } finally {
      // Once the wait is over the agent sends again; to a Sentry that accepts.
      stubSentryAccepting();
    }
  }

  @Test
  void anApplicationThatUsesTheSentrySdkItselfKeepsWorking() throws IOException {
    sentry.resetAll();
    sentry.stubFor(post(urlEqualTo("/api/7/envelope/")).willReturn(aResponse().withStatus(200).withBody("{}")));
    sentry.stubFor(post(urlEqualTo(ENVELOPES)).willReturn(aResponse().withStatus(200).withBody("{}")));
    try (AgentJvm own = AgentJvm.app(SentryApp.class)
        .property("vigil.errors.sentry.dsn", "http://vigilkey@127.0.0.1:" + sentry.port() + "/42")
        .dontWaitForAgentPort()
        .args("http://appkey@127.0.0.1:" + sentry.port() + "/7")
        .start()) {
      assertEquals(0, own.awaitExit(WAIT), own.output());
      assertTrue(own.output().contains("sentry app done"), own.output());
    }
    String event = null;
    for (LoggedRequest request : sentry.findAll(postRequestedFor(urlEqualTo("/api/7/envelope/")))) {
      assertTrue(request.getHeader("X-Sentry-Auth").contains("sentry_key=appkey"), request.getHeader("X-Sentry-Auth"));
      String body = body(request);
      if (body.contains("reported by the application's own Sentry SDK")) {
        event = body;
      }
    }
    assertTrue(event != null, "the application's own event never reached its Sentry project");
    assertTrue(event.contains("sentry.java"), "the application's own SDK sent it: " + event);
  }

  /** The Sentry SDK gzips its envelopes; WireMock may or may not have undone that. */
  private static String body(LoggedRequest request) throws IOException {
    byte[] bytes = request.getBody();
    if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
