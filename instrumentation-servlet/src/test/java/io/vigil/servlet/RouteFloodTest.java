package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.metrics.LabelCap;
import io.vigil.servlet.route.RouteBudgets;
import io.vigil.servlet.route.ServletRoutes;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A scanner's flood of distinct unmatched URLs through the whole request tracker, the way the
 * servlet advice reports them, followed by the application's real routes hit for the first time:
 * those must still be reported under their own patterns, and the number of routes must stay within
 * the documented bound.
 */
class RouteFloodTest {

  private static final int MAX_ROUTES = 1000;
  private static final int FLOOD = 100_000;
  private static final String DISPATCHER = "org.springframework.web.servlet.DispatcherServlet";
  private static final String TOMCAT_DEFAULT = "org.apache.catalina.servlets.DefaultServlet";

  private final CollectorRegistry registry = new CollectorRegistry();
  private final AtomicInteger routeOverflows = new AtomicInteger();
  private final AtomicInteger foldedOverflows = new AtomicInteger();
  private final ServletRequestTracker tracker =
      new ServletRequestTracker(
          new HttpServerMetrics(registry, 4 * MAX_ROUTES),
          new RouteBudgets(MAX_ROUTES, routeOverflows::incrementAndGet, foldedOverflows::incrementAndGet),
          TracerProvider.noop().get("test"),
          W3CTraceContextPropagator.getInstance(),
          type -> {},
          new LabelCap("error_type", 200, 128, () -> {}),
          ErrorTracker.NOOP);

  @Test
  void realRoutesKeepTheirPatternAfterAFloodOfUnmatchedUrls() {
    String longPath = "/" + "a".repeat(8 * 1024);
    for (int i = 0; i < FLOOD; i++) {
      String id = Integer.toString(i, 36) + "x" + Integer.toString(i * 7919, 36);
      switch (i % 8) {
        case 0: // 404 from a Spring front controller on "/": no handler, no pattern
          request("/admin/" + id + "/12", "/", DISPATCHER, 404, null);
          break;
        case 1: // a security filter's 401 before any servlet runs
          request("/private/12/" + id, "/", null, 401, null);
          break;
        case 2: // and its 403
          request("/admin/" + id + "/12", "/", null, 403, null);
          break;
        case 3: // path traversal, answered by the container
          request("/static/..%2f..%2f" + id + "/etc/passwd", "/", TOMCAT_DEFAULT, 400, null);
          break;
        case 4: // percent-encoded junk that a filter answered 200 (folded, in its own budget)
          request("/free/%C0%AE" + id + "%00/x" + id, "/*", null, 200, null);
          break;
        case 5: // 8 KB paths, denied by a filter
          request(longPath + id, "/", null, 403, null);
          break;
        case 6: // a 405 from the front controller
          request("/owners/" + id + "/edit", "/", DISPATCHER, 405, null);
          break;
        default: // distinct words a catch-all filter answers 200: folded, in its own budget
          request("/pages/" + letters(i), "/*", null, 200, null);
          break;
      }
    }

    // The application's real routes, hit for the first time after the flood.
    request("/owners/42", "/", DISPATCHER, 200, "/owners/{ownerId}");
    request("/shop/items/7", "/items/*", "com.example.ItemsServlet", 200, null);

    assertEquals(1.0, count("/owners/{ownerId}", "200"));
    assertEquals(1.0, count("/shop/items/*", "200"));
    Set<String> routes = routes();
    assertTrue(
        routes.size() <= 2 + RouteBudgets.MAX_FOLDED_ROUTES + 1,
        routes.size() + " routes: " + routes);
    assertTrue(routes.contains(ServletRoutes.UNMATCHED));
    assertEquals(0, routeOverflows.get(), "the application's budget is untouched");
    assertTrue(foldedOverflows.get() >= FLOOD / 8 - RouteBudgets.MAX_FOLDED_ROUTES, "folded overflows counted");
  }

  @Test
  void applicationRoutesPastTheirCapOverflowWithoutTouchingFoldedOnes() {
    for (int i = 0; i < MAX_ROUTES + 10; i++) {
      request("/r" + letters(i), "/r" + letters(i), "com.example.S", 200, null);
    }
    request("/pages/about", "/*", null, 200, null);
    assertEquals(10, routeOverflows.get());
    assertEquals(10.0, count("_OTHER", "200"));
    assertEquals(1.0, count("/pages/about", "200"));
  }

  /** One request as the advice reports it: start, the servlet that ran (if any), exit. */
  private void request(String uri, String servletPattern, String servletClass, int status, String frameworkPattern) {
    Object state =
        tracker.start("GET", "http", "localhost", 8080, "127.0.0.1", uri, uri.startsWith("/shop/") ? "/shop" : "",
            "HTTP/1.1", null, null, null, servletPattern);
    if (servletClass != null) {
      tracker.servletRan(state, servletClass);
    }
    tracker.serviceExit(state, status, true, null, frameworkPattern);
  }

  private Double count(String route, String status) {
    Double value = registry.getSampleValue("http_server_request_duration_seconds_count",
        new String[] {"http_request_method", "http_route", "http_response_status_code", "error_type"},
        new String[] {"GET", route, status, ""});
    return value == null ? 0.0 : value;
  }

  private Set<String> routes() {
    Set<String> routes = new TreeSet<>();
    for (Collector.MetricFamilySamples family : java.util.Collections.list(registry.metricFamilySamples())) {
      for (Collector.MetricFamilySamples.Sample sample : family.samples) {
        int at = sample.labelNames.indexOf("http_route");
        if (at >= 0) {
          routes.add(sample.labelValues.get(at));
        }
      }
    }
    return routes;
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
