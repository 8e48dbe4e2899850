package io.vigil.servlet;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP server series of docs/metrics.md: {@code http_server_request_duration_seconds} and
 * {@code http_server_active_requests}. Usable without any weaving (give it a fresh registry).
 *
 * <p>Lock-free on the hot path: histogram children are looked up once per distinct label tuple
 * and kept in a bounded map, so a request costs one {@link ConcurrentHashMap#get} and a bare
 * {@code observe}, not simpleclient's allocating {@code labels(String...)}. The map holds at most
 * {@code maxChildren} tuples; past that, children are still correct but looked up per request.
 * (The label values themselves are bounded upstream: routes by the route limiter, methods by
 * {@code HttpMethods}, status codes to 100..599.)
 */
public final class HttpServerMetrics {

  /** The HTTP buckets of docs/metrics.md, in seconds. */
  static final double[] BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
  };

  private static final String OTHER = "_OTHER";

  private final Histogram duration;
  private final RequestExemplars exemplars;
  private final Gauge active;
  private final ConcurrentHashMap<LabelKey, Histogram.Child> children;
  private final ConcurrentHashMap<String, Gauge.Child> activeChildren = new ConcurrentHashMap<>(16);
  private final int maxChildren;

  public HttpServerMetrics(CollectorRegistry registry, int maxChildren) {
    this(registry, maxChildren, new RequestExemplars(RequestExemplars.DEFAULT_MIN_INTERVAL_MILLIS, System::currentTimeMillis));
  }

  HttpServerMetrics(CollectorRegistry registry, int maxChildren, RequestExemplars exemplars) {
    this.maxChildren = maxChildren;
    this.exemplars = exemplars;
    this.children = new ConcurrentHashMap<>(64);
    // Exemplars come from the agent's own spans (RequestExemplars): the default sampler would look
    // for a tracer on its own.
    duration =
        Histogram.build(
                "http_server_request_duration_seconds",
                "Duration of HTTP server requests, from the container handing the request to the"
                    + " application until the response is complete (async work included).")
            .labelNames("http_request_method", "http_route", "http_response_status_code", "error_type")
            .buckets(BUCKETS)
            .withExemplarSampler(exemplars)
            .register(registry);
    active =
        Gauge.build("http_server_active_requests", "HTTP server requests in progress.")
            .labelNames("http_request_method")
            .register(registry);
  }

  /** The in-progress gauge of a normalized method ({@code HttpMethods.normalize}). */
  public Gauge.Child active(String method) {
    Gauge.Child child = activeChildren.get(method);
    if (child == null) {
      // At most the ten values of HttpMethods; a racing duplicate lookup returns the same child.
      child = active.labels(method);
      activeChildren.put(method, child);
    }
    return child;
  }

  /**
   * Records one finished request.
   *
   * @param method normalized method
   * @param route the limited route
   * @param status the status code the client saw
   * @param errorType exception class, status code for 5xx, or {@code ""}
   * @param traceId with {@code spanId}: the exemplar of a sampled request, or null for none
   */
  public void record(
      String method, String route, int status, String errorType, double seconds, String traceId, String spanId) {
    Histogram.Child child = child(method, route, status, errorType);
    exemplars.observe(child, seconds, traceId, spanId);
  }

  Histogram.Child child(String method, String route, int status, String errorType) {
    int code = status >= 100 && status <= 599 ? status : 0;
    LabelKey key = new LabelKey(method, route, code, errorType);
    Histogram.Child child = children.get(key);
    if (child != null) {
      return child;
    }
    child = duration.labels(method, route, code == 0 ? OTHER : Integer.toString(code), errorType);
    if (children.size() < maxChildren) {
      children.putIfAbsent(key, child);
    }
    return child;
  }

  /** Cached children, for tests. */
  int cachedChildren() {
    return children.size();
  }

  private static final class LabelKey {
    private final String method;
    private final String route;
    private final int status;
    private final String errorType;
    private final int hash;

    LabelKey(String method, String route, int status, String errorType) {
      this.method = method;
      this.route = route;
      this.status = status;
      this.errorType = errorType;
      int h = method.hashCode();
      h = 31 * h + route.hashCode();
      h = 31 * h + status;
      this.hash = 31 * h + errorType.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof LabelKey)) {
        return false;
      }
      LabelKey other = (LabelKey) o;
      return status == other.status
          && method.equals(other.method)
          && route.equals(other.route)
          && errorType.equals(other.errorType);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
