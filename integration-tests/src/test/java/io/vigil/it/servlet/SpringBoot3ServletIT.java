package io.vigil.it.servlet;

import static io.vigil.it.servlet.ServletChecks.HISTOGRAM;
import static io.vigil.it.servlet.ServletChecks.added;
import static io.vigil.it.servlet.ServletChecks.attribute;
import static io.vigil.it.servlet.ServletChecks.hex;
import static io.vigil.it.servlet.ServletChecks.servletExceptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.OtlpReceiver;
import io.vigil.it.harness.Sample;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spring Boot 3 web application (Spring MVC on its embedded Tomcat 10.1, Logback) started once
 * with the agent attached: {@code http_route} is Spring MVC's best matching pattern ({@code
 * /owners/{ownerId}}), never the raw path and never the agent's own folding ({@code
 * /owners/{id}}), on metrics and on server spans alike. {@code DispatcherServlet} is mapped to
 * {@code /}, which names no route of its own, so every route seen here can only come from Spring.
 * The tests share the application but not their numbers: each sends the requests it counts and
 * asserts on what they added (counts before and after), and finds its spans by paths or trace ids
 * of its own, so any test passes alone and in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBoot3ServletIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Spring Boot starts in a few seconds; a loaded two-core build machine may take much longer. */
  private static final Duration START = Duration.ofSeconds(120);
  private static final String MAIN_CLASS = "io.vigil.it.springapp.PetClinicApp";
  /** Spring MVC wraps what a controller throws: {@code FrameworkServlet} rethrows it in this. */
  private static final String SERVLET_EXCEPTION = "jakarta.servlet.ServletException";
  /** What the controller threw, and what the agent reports once it took the wrapper off. */
  private static final String CONTROLLER_EXCEPTION = "java.lang.IllegalStateException";
  /** A path segment that is a number: a raw id in a route. */
  private static final Pattern RAW_ID = Pattern.compile(".*/\\d+(/.*)?");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OtlpReceiver otlp;
  private AgentJvm app;
  private int appPort;

  @BeforeAll
  void start() throws IOException {
    Path dir = Paths.get(System.getProperty("vigil.servlet.apps.dir", "apps")).resolve("springboot3").resolve("target");
    List<String> classpath = new ArrayList<>();
    classpath.add(dir.resolve("classes").toString());
    classpath.addAll(List.of(Files.readString(dir.resolve("app-classpath.txt")).trim().split(File.pathSeparator)));
    otlp = new OtlpReceiver();
    appPort = FreePort.next();
    app = AgentJvm.app(MAIN_CLASS)
        .classpath(classpath)
        .otlp(otlp)
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
  }

  @Test
  void routesAreSpringsMatchedPatternsWithExactCounts() {
    MetricsSnapshot before = app.metrics();
    for (String path : List.of("/owners/1", "/owners/1", "/owners/1", "/owners/2", "/owners/2")) {
      assertEquals(200, send(path).statusCode(), path);
    }
    for (String path : List.of("/owners/77/pets/5", "/owners/77/pets/5", "/owners/3/pets/12")) {
      assertEquals(200, send(path).statusCode(), path);
    }
    for (String lastName : List.of("Davis", "Franklin")) {
      HttpResponse<String> response = send("/owners?lastName=" + lastName);
      assertEquals(200, response.statusCode());
      assertTrue(response.body().contains(lastName), response.body());
    }

    MetricsSnapshot metrics = app.metrics();
    assertEquals(5, added(before, metrics, "/owners/{ownerId}", "200", ""));
    assertEquals(3, added(before, metrics, "/owners/{ownerId}/pets/{petId}", "200", ""));
    // The query string is never part of the route.
    assertEquals(2, added(before, metrics, "/owners", "200", ""));
    for (String raw : List.of("/owners/1", "/owners/2", "/owners/77/pets/5", "/owners/3/pets/12")) {
      assertFalse(metrics.has(HISTOGRAM + "_count", "http_route", raw), "raw path as a route: " + raw);
    }
    // The agent's own folding would give these; Spring's patterns must win over it.
    assertFalse(metrics.has(HISTOGRAM + "_count", "http_route", "/owners/{id}"));
    assertFalse(metrics.has(HISTOGRAM + "_count", "http_route", "/owners/{id}/pets/{id}"));
    assertNoRawIds(metrics);
    assertEquals(0, metrics.value("http_server_active_requests", "http_request_method", "GET"));
    assertEquals(200, app.get("/health/ready").status());
  }

  @Test
  void exceptionFromTheControllerIs500WithTheControllersExceptionNotSpringsWrapper() {
    MetricsSnapshot before = app.metrics();
    for (int i = 0; i < 2; i++) {
      assertEquals(500, send("/owners/" + (10 + i) + "/oups").statusCode());
    }
    MetricsSnapshot metrics = app.metrics();
    // What escapes to the container is Spring's wrapper (FrameworkServlet: "Request processing
    // failed"); the agent reports what it wraps, or every controller failure would look alike.
    assertEquals(2, added(before, metrics, "/owners/{ownerId}/oups", "500", CONTROLLER_EXCEPTION));
    assertEquals(2, servletExceptions(metrics, CONTROLLER_EXCEPTION) - servletExceptions(before, CONTROLLER_EXCEPTION));
    assertFalse(metrics.has("vigil_exceptions_total", "exception_type", SERVLET_EXCEPTION));
    // Tomcat then forwards to Spring Boot's /error page (an ERROR dispatch): not a second request.
    assertFalse(metrics.has(HISTOGRAM + "_count", "http_route", "/error"));
    assertNoRawIds(metrics);

    Span span = awaitSpans(s -> "/owners/10/oups".equals(attribute(s, "url.path")), 1).get(0);
    assertEquals("GET /owners/{ownerId}/oups", span.getName());
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
    assertEquals("500", attribute(span, "http.response.status_code"));
    assertEquals(CONTROLLER_EXCEPTION, attribute(span, "error.type"));
    Span.Event exception = span.getEventsList().stream()
        .filter(e -> e.getName().equals("exception")).findFirst().orElseThrow();
    assertEquals(CONTROLLER_EXCEPTION, attribute(exception.getAttributesList(), "exception.type"));
    String stacktrace = attribute(exception.getAttributesList(), "exception.stacktrace");
    assertTrue(stacktrace.contains("OwnerController"), stacktrace);
  }

  @Test
  void notFoundFromTheControllerKeepsItsRouteAndAnUnmappedPathMintsNone() {
    MetricsSnapshot before = app.metrics();
    assertEquals(200, send("/pets/7").statusCode());
    assertEquals(404, send("/pets/404").statusCode());
    assertEquals(404, send("/pets/1000").statusCode());
    // No controller: Spring's catch-all static resource handler (pattern "/**") answers 404, and
    // "/**" is also the agent's own route for unmatched 404s, so probed paths mint no routes.
    assertEquals(404, send("/no/such/page-1").statusCode());
    assertEquals(404, send("/no/such/page-2").statusCode());

    MetricsSnapshot metrics = app.metrics();
    assertEquals(1, added(before, metrics, "/pets/{petId}", "200", ""));
    assertEquals(2, added(before, metrics, "/pets/{petId}", "404", ""));
    assertEquals(2, added(before, metrics, "/**", "404", ""));
    assertFalse(metrics.has(HISTOGRAM + "_count", "http_route", "/no/such/page-1"));
    assertNoRawIds(metrics);
  }

  @Test
  void serverSpansAreNamedBySpringsRouteAndContinueTheIncomingTrace() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    assertEquals(200, send("/owners/42", "00-" + traceId + "-" + parentId + "-01").statusCode());

    Span continued = awaitSpans(s -> "/owners/42".equals(attribute(s, "url.path")), 1).get(0);
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, continued.getKind());
    assertEquals("GET /owners/{ownerId}", continued.getName());
    assertEquals("/owners/{ownerId}", attribute(continued, "http.route"));
    assertEquals(traceId, hex(continued.getTraceId().toByteArray()));
    assertEquals(parentId, hex(continued.getParentSpanId().toByteArray()));
    assertEquals("GET", attribute(continued, "http.request.method"));
    assertEquals("200", attribute(continued, "http.response.status_code"));
    assertEquals(Integer.toString(appPort), attribute(continued, "server.port"));

    assertEquals(200, send("/owners/78/pets/6").statusCode());
    Span pet = awaitSpans(s -> "/owners/78/pets/6".equals(attribute(s, "url.path")), 1).get(0);
    assertEquals("GET /owners/{ownerId}/pets/{petId}", pet.getName());
    assertEquals("/owners/{ownerId}/pets/{petId}", attribute(pet, "http.route"));
    assertTrue(pet.getParentSpanId().isEmpty(), "no traceparent: a new trace");

    String searchTraceId = "a3ce929d0e0e47364bf92f3577b34da6";
    assertEquals(200, send("/owners?lastName=Davis", "00-" + searchTraceId + "-" + parentId + "-01").statusCode());
    Span query = awaitSpans(s -> searchTraceId.equals(hex(s.getTraceId().toByteArray())), 1).get(0);
    assertEquals("GET /owners", query.getName());
    assertEquals("/owners", attribute(query, "url.path"), "the query string is never recorded");
    for (Span span : otlp.spans()) {
      assertFalse(RAW_ID.matcher(span.getName()).matches(), "span named by a raw path: " + span.getName());
    }
  }

  @Test
  void theApplicationsOwnLogLineCarriesTheRequestsTraceAndSpanIds() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    assertEquals(200, send("/owners/4321", "00-" + traceId + "-b7ad6b7169203331-01").statusCode());
    Span span = awaitSpans(s -> "/owners/4321".equals(attribute(s, "url.path")), 1).get(0);
    String line = app.awaitLine("handled GET /owners/4321", WAIT);
    // Spring Boot's Logback, its console pattern printing %X{trace_id} and %X{span_id}.
    assertTrue(line.contains("trace_id=" + traceId + " "), line);
    // The server span's own id, not the caller's parent id.
    assertTrue(line.contains("span_id=" + hex(span.getSpanId().toByteArray()) + " "), line);
  }

  // --- helpers

  private HttpResponse<String> send(String path) {
    return send(path, null);
  }

  private HttpResponse<String> send(String path, String traceparent) {
    return ServletChecks.send(http, appPort, path, traceparent);
  }

  private static void assertNoRawIds(MetricsSnapshot metrics) {
    for (Sample s : metrics.find(HISTOGRAM + "_count")) {
      assertFalse(RAW_ID.matcher(s.label("http_route")).matches(), "raw id in a route: " + s);
    }
  }

  private List<Span> awaitSpans(Predicate<Span> which, int atLeast) {
    return ServletChecks.awaitSpans(app, otlp, which, atLeast, WAIT);
  }

}
