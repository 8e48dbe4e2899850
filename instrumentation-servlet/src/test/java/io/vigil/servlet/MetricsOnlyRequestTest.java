package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.metrics.LabelCap;
import io.vigil.servlet.route.RouteBudgets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code traces.enabled=false}: the tracker is given the no-op tracer. A request without an
 * incoming trace then gets no span and no context of its own (that is what keeps the metrics-only
 * path small), yet is measured exactly as with tracing; one with a {@code traceparent} still
 * carries the caller's ids for log correlation.
 */
class MetricsOnlyRequestTest {

  private static final ContextKey<String> MARK = ContextKey.named("mark");
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final CollectorRegistry registry = new CollectorRegistry();
  private final ServletRequestTracker tracker =
      new ServletRequestTracker(
          new HttpServerMetrics(registry, 16),
          new RouteBudgets(10, null, null),
          TracerProvider.noop().get("io.vigil"),
          W3CTraceContextPropagator.getInstance(),
          type -> {},
          new LabelCap("error_type", 10, 128, () -> {}),
          ErrorTracker.NOOP);

  @Test
  void aRequestWithoutIncomingTraceIsMeasuredWithoutASpanOrAContext() {
    try (Scope outer = Context.root().with(MARK, "outer").makeCurrent()) {
      Object state = start(null, "/owners/*");

      RequestState request = (RequestState) state;
      assertFalse(request.span.getSpanContext().isValid());
      assertNull(request.context);
      assertEquals("outer", Context.current().get(MARK), "the thread's context is left alone");

      AtomicReference<String> seenOnWorker = new AtomicReference<>();
      tracker.wrap(state, () -> seenOnWorker.set(String.valueOf(Context.current().get(MARK)))).run();
      assertEquals("outer", seenOnWorker.get(), "wrapped work runs in the caller's context, unchanged");

      tracker.serviceExit(state, 200, true, null, null);
      assertEquals("outer", Context.current().get(MARK));
    }
    assertEquals(1.0, count("GET", "/owners/*", "200"));
    assertEquals(0.0, registry.getSampleValue("http_server_active_requests", new String[] {"http_request_method"},
        new String[] {"GET"}));
  }

  @Test
  void anIncomingTraceStillReachesTheRequestsContext() {
    Object state = start("00-" + TRACE_ID + "-00f067aa0ba902b7-01", "/owners/*");

    assertEquals(TRACE_ID, Span.current().getSpanContext().getTraceId());
    tracker.serviceExit(state, 200, true, null, null);
    assertFalse(Span.current().getSpanContext().isValid());
    assertEquals(1.0, count("GET", "/owners/*", "200"));
  }

  @Test
  void aFrameworkPatternIsTheRouteAndIsComposedOnce() {
    Object first = start(null, "/");
    tracker.serviceExit(first, 200, true, null, "/owners/{ownerId}");
    Object second = start(null, "/");
    tracker.serviceExit(second, 404, true, null, new String("/owners/{ownerId}"));

    assertEquals(1.0, count("GET", "/owners/{ownerId}", "200"));
    assertEquals(1.0, count("GET", "/owners/{ownerId}", "404"));
  }

  @Test
  void theServerPortIsBoxedOnceWhileItStaysTheSame() {
    Long first = tracker.boxedPort(8080);
    assertEquals(8080L, first);
    assertSame(first, tracker.boxedPort(8080));
    assertEquals(8443L, tracker.boxedPort(8443));
    assertEquals(8080L, tracker.boxedPort(8080));
  }

  private Object start(String traceparent, String servletPattern) {
    return tracker.start("GET", "http", "localhost", 8080, "127.0.0.1", "/owners/42", "", "HTTP/1.1", null,
        traceparent, null, servletPattern);
  }

  private double count(String method, String route, String status) {
    Double value = registry.getSampleValue("http_server_request_duration_seconds_count",
        new String[] {"http_request_method", "http_route", "http_response_status_code", "error_type"},
        new String[] {method, route, status, ""});
    return value == null ? 0 : value;
  }
}
