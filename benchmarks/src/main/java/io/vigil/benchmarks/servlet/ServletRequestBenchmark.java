package io.vigil.benchmarks.servlet;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.AgentContext;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.agent.trace.AgentTracer;
import io.vigil.bootstrap.ServletTelemetry;
import io.vigil.servlet.ServletInstrumentationModule;
import io.vigil.servlet.jakarta.JakartaServiceAdvice;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.MappingMatch;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent adds to one servlet request: the jakarta service advice's enter and exit (the very
 * static methods Byte Buddy inlines into {@code Servlet.service} / {@code Filter.doFilter}), and
 * behind the {@link ServletTelemetry} facade the handler that {@link ServletInstrumentationModule}
 * installs: method normalization, traceparent extraction, the server span and its scope, the MDC
 * put and remove (Logback's MDC, found through the context class loader as in an application), the
 * active-requests gauge, route resolution and the route cap, and the duration histogram.
 *
 * <p>The request is {@code GET /owners/42} over HTTP/1.1 with a handful of headers, served by a
 * stub request and response (wrappers whose every method the advice calls answers from a field;
 * anything else fails). Parameters:
 *
 * <ul>
 *   <li>{@code tracing}: {@code off} is {@code traces.enabled=false} (no-op tracer); {@code on} is
 *       the SDK with the agent's sampler (parent-based, ratio 1.0) and a span processor that drops
 *       ended spans, so the SDK's span cost is in and the exporter's is not;
 *   <li>{@code traceparent}: the W3C header {@code absent} (a new trace) or {@code present} (a
 *       sampled incoming trace, continued);
 *   <li>{@code route}: where the route comes from. {@code spring}: DispatcherServlet mapped to
 *       {@code /} and Spring's best-matching-pattern attribute {@code /owners/{ownerId}};
 *       {@code mapping}: a servlet mapped to {@code /owners/*}; {@code folded}: neither, so the
 *       path is folded to {@code /owners/{id}}.
 * </ul>
 *
 * <p>{@code request} is a servlet called directly; {@code requestThroughFilters} adds the three
 * woven filters a Spring Boot application puts in front of its DispatcherServlet, each passing
 * only the depth guard.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServletRequestBenchmark {

  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Param({"off", "on"})
  public String tracing;

  @Param({"absent", "present"})
  public String traceparent;

  @Param({"spring", "mapping", "folded"})
  public String route;

  private final OwnerServlet servlet = new OwnerServlet();
  private final Filter[] filters = {new StubFilter(), new StubFilter(), new StubFilter()};
  private StubRequest request;
  private StubResponse response;

  @Setup(Level.Trial)
  public void setUp() {
    Tracer tracer;
    if (tracing.equals("on")) {
      tracer = new AgentTracer(
          Resource.getDefault(), "bench", Sampler.parentBased(Sampler.traceIdRatioBased(1.0)), span -> {});
    } else {
      tracer = TracerProvider.noop().get("io.vigil");
    }
    VigilConfig config = VigilConfig.builder().build();
    CollectorRegistry registry = new CollectorRegistry();
    AgentMetrics agentMetrics = new AgentMetrics(registry, "bench", "bench", Arrays.asList("servlet"));
    new ServletInstrumentationModule().install(new AgentContext(
        config, registry, agentMetrics, tracer, W3CTraceContextPropagator.getInstance(), new HealthRegistry()));

    String[] headers = {
      "Host", "shop.example:8080",
      "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      "Accept", "application/json",
      "Accept-Encoding", "gzip, deflate, br",
      "traceparent", traceparent.equals("present") ? TRACEPARENT : null,
    };
    switch (route) {
      case "spring":
        request = new StubRequest(headers, mapping("/", MappingMatch.DEFAULT), "/owners/{ownerId}");
        break;
      case "mapping":
        request = new StubRequest(headers, mapping("/owners/*", MappingMatch.PATH), null);
        break;
      default:
        request = new StubRequest(headers, mapping("/", MappingMatch.DEFAULT), null);
        break;
    }
    response = new StubResponse();
    // One request first, so that the MDC lookup, the route admission and the histogram child are
    // done, as they are in a running application after its first request on a route.
    request();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ServletTelemetry.install(null);
  }

  @Benchmark
  public Object request() {
    Object state = JakartaServiceAdvice.enter(servlet, request, response);
    JakartaServiceAdvice.exit(state, request, response, null);
    return state;
  }

  @Benchmark
  public Object requestThroughFilters() {
    Object state = JakartaServiceAdvice.enter(filters[0], request, response);
    Object state1 = JakartaServiceAdvice.enter(filters[1], request, response);
    Object state2 = JakartaServiceAdvice.enter(filters[2], request, response);
    Object state3 = JakartaServiceAdvice.enter(servlet, request, response);
    JakartaServiceAdvice.exit(state3, request, response, null);
    JakartaServiceAdvice.exit(state2, request, response, null);
    JakartaServiceAdvice.exit(state1, request, response, null);
    JakartaServiceAdvice.exit(state, request, response, null);
    return state;
  }

  private static HttpServletMapping mapping(String pattern, MappingMatch match) {
    return new HttpServletMapping() {
      @Override
      public String getMatchValue() {
        return "";
      }

      @Override
      public String getPattern() {
        return pattern;
      }

      @Override
      public String getServletName() {
        return "dispatcherServlet";
      }

      @Override
      public MappingMatch getMappingMatch() {
        return match;
      }
    };
  }

  /** The application's servlet; its class name is what the advice reports for a servlet. */
  static final class OwnerServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
  }

  static final class StubFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {}
  }

  /**
   * Answers what the advice asks from fields; headers by a case-insensitive scan, as containers
   * look them up. Every other method reaches a delegate that throws.
   */
  static final class StubRequest extends HttpServletRequestWrapper {
    private final String[] headers;
    private final HttpServletMapping mapping;
    private final String springPattern;

    StubRequest(String[] headers, HttpServletMapping mapping, String springPattern) {
      super(unsupported(HttpServletRequest.class));
      this.headers = headers;
      this.mapping = mapping;
      this.springPattern = springPattern;
    }

    @Override
    public DispatcherType getDispatcherType() {
      return DispatcherType.REQUEST;
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
      return mapping;
    }

    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getScheme() {
      return "http";
    }

    @Override
    public String getServerName() {
      return "shop.example";
    }

    @Override
    public int getServerPort() {
      return 8080;
    }

    @Override
    public String getRemoteAddr() {
      return "10.1.2.3";
    }

    @Override
    public String getRequestURI() {
      return "/owners/42";
    }

    @Override
    public String getContextPath() {
      return "";
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public String getHeader(String name) {
      for (int i = 0; i < headers.length; i += 2) {
        if (headers[i].equalsIgnoreCase(name)) {
          return headers[i + 1];
        }
      }
      return null;
    }

    @Override
    public Object getAttribute(String name) {
      return ServletTelemetry.SPRING_PATTERN_ATTRIBUTE.equals(name) ? springPattern : null;
    }
  }

  static final class StubResponse extends HttpServletResponseWrapper {
    StubResponse() {
      super(unsupported(HttpServletResponse.class));
    }

    @Override
    public int getStatus() {
      return 200;
    }

    @Override
    public boolean isCommitted() {
      return true;
    }
  }

  private static <T> T unsupported(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(ServletRequestBenchmark.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          throw new UnsupportedOperationException("the benchmark's stub does not answer " + method.getName());
        }));
  }
}
