package io.vigil.servlet;

import io.vigil.api.AgentContext;
import io.vigil.api.InstrumentationModule;
import io.vigil.api.TypeInstrumentation;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.bootstrap.ServletTelemetry;
import io.vigil.servlet.route.RouteBudgets;
import java.util.ArrayList;
import java.util.List;

/**
 * The servlet instrumentation: javax.servlet and jakarta.servlet request timing, routes and server
 * spans. Two advice sets, one per namespace, share everything else through {@link
 * ServletTelemetry} and {@link ServletRequestTracker}.
 */
public final class ServletInstrumentationModule implements InstrumentationModule {

  /** Histogram children cached per distinct label tuple, beyond the route cap's share. */
  private static final int EXTRA_CACHED_CHILDREN = 1000;

  private final ApplicationReadiness readiness = new ApplicationReadiness();

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    Runnable seen =
        new Runnable() {
          @Override
          public void run() {
            readiness.servletTypeSeen();
          }
        };
    List<TypeInstrumentation> all = new ArrayList<>();
    all.addAll(
        ServletApiInstrumentations.of(
            "javax.servlet",
            "io.vigil.servlet.javax.JavaxServiceAdvice",
            "io.vigil.servlet.javax.JavaxStartAsyncAdvice",
            seen));
    all.addAll(
        ServletApiInstrumentations.of(
            "jakarta.servlet",
            "io.vigil.servlet.jakarta.JakartaServiceAdvice",
            "io.vigil.servlet.jakarta.JakartaStartAsyncAdvice",
            seen));
    return all;
  }

  @Override
  public void install(AgentContext context) {
    final AgentMetrics agentMetrics = context.agentMetrics();
    int maxRoutes = context.config().routeMaxCardinality();
    HttpServerMetrics metrics =
        new HttpServerMetrics(context.registry(), 4 * maxRoutes + EXTRA_CACHED_CHILDREN);
    RouteBudgets routes =
        new RouteBudgets(
            maxRoutes,
            new Runnable() {
              @Override
              public void run() {
                agentMetrics.routeOverflowed();
              }
            },
            new Runnable() {
              @Override
              public void run() {
                agentMetrics.labelOverflowed(AgentMetrics.HTTP_ROUTE_FOLDED);
              }
            });
    readiness.install(context.health());
    ServletTelemetry.install(
        new ServletRequestTracker(
            metrics,
            routes,
            context.tracer(),
            context.propagator(),
            new ServletRequestTracker.ExceptionCounter() {
              @Override
              public void exception(String exceptionType) {
                agentMetrics.exception(exceptionType, "servlet");
              }
            },
            agentMetrics.errorTypes(),
            context.errors()));
  }
}
