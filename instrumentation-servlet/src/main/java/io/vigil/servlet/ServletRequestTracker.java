package io.vigil.servlet;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vigil.api.errors.ErrorTracker;
import io.vigil.api.metrics.LabelCap;
import io.vigil.bootstrap.ServletTelemetry;
import io.vigil.servlet.route.ComposedRoutes;
import io.vigil.servlet.route.HttpMethods;
import io.vigil.servlet.route.RouteBudgets;
import io.vigil.servlet.route.ServletRoutes;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;

/**
 * The agent side of {@link ServletTelemetry}: times each request, decides its route, runs its
 * SERVER span (continuing an incoming W3C {@code traceparent}) and keeps the trace ids in the
 * application's MDC while the request runs on a thread.
 *
 * <p>Lock-free on the request path. Per request it allocates the {@link RequestState}, and with
 * tracing on (or an incoming trace to carry into the logs) the span and its context; a route
 * string only when the path is folded, since routes from mappings and framework patterns are
 * composed once ({@link ComposedRoutes}).
 */
public final class ServletRequestTracker implements ServletTelemetry.Handler {

  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT_ORIGINAL = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  /** Reads the two W3C headers the advice extracted; nothing else is ever offered. */
  private static final TextMapGetter<String[]> HEADERS =
      new TextMapGetter<String[]>() {
        @Override
        public Iterable<String> keys(String[] carrier) {
          return Collections.emptyList();
        }

        @Override
        public String get(String[] carrier, String key) {
          if (carrier == null || key == null) {
            return null;
          }
          if (TRACEPARENT.equalsIgnoreCase(key)) {
            return carrier[0];
          }
          if (TRACESTATE.equalsIgnoreCase(key)) {
            return carrier[1];
          }
          return null;
        }
      };

  private final HttpServerMetrics metrics;
  private final RouteBudgets routes;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final ExceptionCounter exceptions;
  private final ErrorTracker errors;
  private final LabelCap errorTypes;
  private final MdcBridge mdc = new MdcBridge();
  private final ComposedRoutes routeCache = new ComposedRoutes();
  private final ServerSpanNames spanNames = new ServerSpanNames();
  /** False for the no-op tracer of {@code traces.enabled=false}. */
  private final boolean tracing;
  private Long lastPort;

  /** Where exceptions that escaped to the container are counted. */
  public interface ExceptionCounter {
    void exception(String exceptionType);
  }

  public ServletRequestTracker(
      HttpServerMetrics metrics,
      RouteBudgets routes,
      Tracer tracer,
      TextMapPropagator propagator,
      ExceptionCounter exceptions,
      LabelCap errorTypes,
      ErrorTracker errors) {
    this.metrics = metrics;
    this.errorTypes = errorTypes;
    this.routes = routes;
    this.tracer = tracer;
    this.propagator = propagator;
    this.exceptions = exceptions;
    this.errors = errors;
    // TracerProvider.noop() hands out one shared tracer; anything else is taken to trace.
    this.tracing = tracer != TracerProvider.noop().get("io.vigil");
  }

  @Override
  public Object start(
      String method,
      String scheme,
      String serverName,
      int serverPort,
      String clientAddress,
      String requestUri,
      String contextPath,
      String protocol,
      String userAgent,
      String traceparent,
      String tracestate,
      String servletPattern) {
    long startNanos = System.nanoTime();
    String normalized = HttpMethods.normalize(method);
    if (!tracing && traceparent == null) {
      // Metrics only, and no incoming trace whose ids the logs could carry: no span, no context.
      RequestState state = new RequestState(
          startNanos, normalized, requestUri, contextPath, servletPattern, metrics.active(normalized),
          Span.getInvalid(), null);
      state.active.inc();
      return state;
    }
    Context parent = Context.root();
    if (traceparent != null) {
      // A malformed traceparent extracts to no span context: a new trace starts.
      parent = propagator.extract(parent, new String[] {traceparent, tracestate}, HEADERS);
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(HttpMethods.OTHER.equals(normalized) ? "HTTP" : normalized)
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAttribute(HTTP_REQUEST_METHOD, normalized)
            .setAttribute(URL_PATH, requestUri)
            .setAttribute(URL_SCHEME, scheme);
    if (HttpMethods.OTHER.equals(normalized) && method != null) {
      builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, method);
    }
    if (serverName != null) {
      builder.setAttribute(SERVER_ADDRESS, serverName);
    }
    if (serverPort > 0) {
      builder.setAttribute(SERVER_PORT, boxedPort(serverPort));
    }
    if (clientAddress != null) {
      builder.setAttribute(CLIENT_ADDRESS, clientAddress);
    }
    if (userAgent != null) {
      builder.setAttribute(USER_AGENT_ORIGINAL, userAgent);
    }
    String version = protocolVersion(protocol);
    if (version != null) {
      builder.setAttribute(NETWORK_PROTOCOL_VERSION, version);
    }
    Span span = builder.startSpan();
    Context context = parent.with(span);
    RequestState state =
        new RequestState(
            startNanos, normalized, requestUri, contextPath, servletPattern, metrics.active(normalized), span, context);
    state.active.inc();
    state.scope = context.makeCurrent();
    state.mdc = putMdc(span);
    return state;
  }

  /**
   * The port as the attribute's {@code Long}, boxed once: an application listens on a port or
   * two, and {@code Long.valueOf} caches none of them. A race only boxes again.
   */
  Long boxedPort(int port) {
    Long boxed = lastPort;
    if (boxed == null || boxed.longValue() != port) {
      boxed = (long) port;
      lastPort = boxed;
    }
    return boxed;
  }

  @Override
  public void servletRan(Object state, String servletClassName) {
    if (!(state instanceof RequestState)) {
      return;
    }
    RequestState request = (RequestState) state;
    if (ServletRoutes.isContainerDefaultServlet(servletClassName)) {
      request.containerServletRan = true;
    } else {
      request.applicationServletRan = true;
    }
  }

  @Override
  public void serviceExit(Object state, int status, boolean committed, Throwable thrown, Object frameworkPattern) {
    if (state instanceof Resumed) {
      Resumed resumed = (Resumed) state;
      if (frameworkPattern != null) {
        resumed.request.frameworkPattern = frameworkPattern;
      }
      resumed.close();
      return;
    }
    if (!(state instanceof RequestState)) {
      return;
    }
    RequestState request = (RequestState) state;
    closeThreadContext(request.scope, request.mdc);
    request.scope = null;
    request.mdc = null;
    if (thrown != null) {
      request.error = thrown;
      // The container answers an escaped exception with 500 unless the response is already out.
      request.status = committed && status > 0 ? status : 500;
    } else {
      request.status = status;
    }
    if (frameworkPattern != null) {
      request.frameworkPattern = frameworkPattern;
    }
    if (request.release()) {
      end(request);
    }
  }

  @Override
  public void handledError(Object state, Object error) {
    RequestState request =
        state instanceof Resumed ? ((Resumed) state).request : state instanceof RequestState ? (RequestState) state : null;
    if (request != null && error instanceof Throwable) {
      request.handledError = (Throwable) error;
    }
  }

  @Override
  public Object asyncListener(Object state, Class<?> listenerInterface) {
    if (!(state instanceof RequestState)) {
      return null;
    }
    RequestState request = (RequestState) state;
    if (!request.claimAsyncListener()) {
      return null;
    }
    return Proxy.newProxyInstance(
        listenerInterface.getClassLoader(), new Class<?>[] {listenerInterface}, new AsyncEvents(request));
  }

  @Override
  public void asyncListenerAdded(Object state) {
    if (state instanceof RequestState) {
      ((RequestState) state).hold();
    }
  }

  @Override
  public Object resume(Object state) {
    if (!(state instanceof RequestState)) {
      return null;
    }
    RequestState request = (RequestState) state;
    if (request.context == null) {
      return new Resumed(request, null, null);
    }
    return new Resumed(request, request.context.makeCurrent(), putMdc(request.span));
  }

  @Override
  public Runnable wrap(Object state, final Runnable task) {
    if (!(state instanceof RequestState)) {
      return task;
    }
    final RequestState request = (RequestState) state;
    return new Runnable() {
      @Override
      public void run() {
        Object resumed = resume(request);
        try {
          task.run();
        } finally {
          ((Resumed) resumed).close();
        }
      }
    };
  }

  @Override
  public void containerStarted() {
    // ServletTelemetry keeps the flag that the readiness check reads.
  }

  /** Async work completed (or failed, or timed out and the container completed it). */
  void asyncCompleted(RequestState request, int status) {
    if (status > 0) {
      request.status = status;
    }
    if (request.release()) {
      end(request);
    }
  }

  private void end(RequestState request) {
    long nanos = System.nanoTime() - request.startNanos;
    int status = request.status;
    Throwable error = request.error == null ? null : ServletErrorCause.of(request.error);
    String route = route(request, status);
    String errorType;
    if (error != null) {
      String exceptionType = error.getClass().getName();
      exceptions.exception(exceptionType);
      errorType = errorTypes.limit(exceptionType);
    } else if (status >= 500) {
      errorType = Integer.toString(status);
    } else {
      errorType = "";
    }
    Span span = request.span;
    SpanContext spanContext = span.getSpanContext();
    boolean sampled = spanContext.isSampled();
    metrics.record(
        request.method,
        route,
        status,
        errorType,
        nanos / 1e9,
        sampled ? spanContext.getTraceId() : null,
        sampled ? spanContext.getSpanId() : null);
    request.active.dec();
    if (span.isRecording()) {
      span.updateName(spanNames.name(request.method, route));
      span.setAttribute(HTTP_ROUTE, route);
      span.setAttribute(HTTP_RESPONSE_STATUS_CODE, StatusCodes.boxed(status));
      if (!errorType.isEmpty()) {
        span.setAttribute(ERROR_TYPE, errorType);
      }
      if (error != null) {
        span.recordException(error);
      }
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
    trackError(request, error, status, route, spanContext);
  }

  /** A request that went well costs one volatile read here, unless a JDBC error waits for a route. */
  private void trackError(RequestState request, Throwable error, int status, String route, SpanContext spanContext) {
    Throwable failure = error;
    if (failure == null && status >= 500 && request.handledError != null) {
      failure = ServletErrorCause.of(request.handledError);
    }
    if (failure == null && !errors.awaitingRoutes()) {
      return;
    }
    String traceId = spanContext.isValid() ? spanContext.getTraceId() : null;
    if (failure != null) {
      errors.servletError(failure, route, traceId, traceId == null ? null : spanContext.getSpanId());
    }
    if (traceId != null && errors.awaitingRoutes()) {
      errors.requestEnded(traceId, route);
    }
  }

  private String route(RequestState request, int status) {
    Object pattern = request.frameworkPattern;
    String frameworkRoute =
        pattern == null ? null : routeCache.withFrameworkPattern(request.contextPath, request.servletPattern, pattern.toString());
    String servletRoute =
        frameworkRoute == null ? routeCache.fromMapping(request.contextPath, request.servletPattern) : null;
    // Application code produced the response when an application servlet ran, or when no servlet
    // ran at all (a filter answered); not when only the container's default servlet did.
    boolean handled = request.applicationServletRan || !request.containerServletRan;
    return routes.route(frameworkRoute, servletRoute, request.requestUri, handled, status);
  }

  private MdcBridge.Binding putMdc(Span span) {
    SpanContext spanContext = span.getSpanContext();
    if (!spanContext.isValid()) {
      return null;
    }
    MdcBridge.Binding binding = mdc.current();
    if (binding.isEmpty()) {
      return null;
    }
    binding.put(spanContext.getTraceId(), spanContext.getSpanId());
    return binding;
  }

  private static void closeThreadContext(Scope scope, MdcBridge.Binding binding) {
    if (binding != null) {
      binding.remove();
    }
    if (scope != null) {
      scope.close();
    }
  }

  static String protocolVersion(String protocol) {
    if (protocol == null || !protocol.startsWith("HTTP/")) {
      return null;
    }
    // The versions every request carries, without a substring per request.
    switch (protocol) {
      case "HTTP/1.1":
        return "1.1";
      case "HTTP/1.0":
        return "1.0";
      case "HTTP/2.0":
      case "HTTP/2":
        return "2";
      default:
        break;
    }
    String version = protocol.substring(5);
    // OpenTelemetry writes HTTP/2 and HTTP/3 as "2" and "3".
    return version.endsWith(".0") && !version.startsWith("1") ? version.substring(0, version.length() - 2) : version;
  }

  /** The request's context made current on a thread other than its service thread. */
  private static final class Resumed {
    final RequestState request;
    private final Scope scope;
    private final MdcBridge.Binding mdc;

    Resumed(RequestState request, Scope scope, MdcBridge.Binding mdc) {
      this.request = request;
      this.scope = scope;
      this.mdc = mdc;
    }

    void close() {
      closeThreadContext(scope, mdc);
    }
  }

  /**
   * The {@code AsyncListener} (javax or jakarta), as a proxy defined in the servlet API's class
   * loader; the events are read reflectively through the servlet API's public interfaces.
   */
  private final class AsyncEvents implements InvocationHandler {
    private final RequestState request;

    AsyncEvents(RequestState request) {
      this.request = request;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      String name = method.getName();
      if (method.getDeclaringClass() == Object.class) {
        if ("equals".equals(name)) {
          return proxy == args[0];
        }
        if ("hashCode".equals(name)) {
          return System.identityHashCode(proxy);
        }
        return "VigilAsyncListener";
      }
      try {
        Object event = args == null || args.length == 0 ? null : args[0];
        if ("onComplete".equals(name)) {
          asyncCompleted(request, status(event));
        } else if ("onError".equals(name)) {
          Object thrown = call(event, "getThrowable");
          if (thrown instanceof Throwable) {
            request.error = (Throwable) thrown;
          }
        } else if ("onStartAsync".equals(name)) {
          // A new async cycle (startAsync from an async dispatch) drops the listeners: re-add.
          Object asyncContext = call(event, "getAsyncContext");
          if (asyncContext != null) {
            publicMethod(asyncContext.getClass(), "addListener", method.getDeclaringClass())
                .invoke(asyncContext, proxy);
          }
        }
      } catch (Throwable t) {
        io.vigil.bootstrap.AdviceErrors.record(t, "servlet");
      }
      return null;
    }

    private int status(Object event) {
      Object response = call(event, "getSuppliedResponse");
      if (response == null) {
        return -1;
      }
      Object status = call(response, "getStatus");
      return status instanceof Integer ? (Integer) status : -1;
    }
  }

  /** Calls a public no-argument method through a public type that declares it; null on failure. */
  private static Object call(Object target, String name) {
    if (target == null) {
      return null;
    }
    try {
      return publicMethod(target.getClass(), name).invoke(target);
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * {@code type}'s method, looked up on a public class or interface in its hierarchy so that it
   * can be invoked even when the container's implementation class is not public.
   */
  private static Method publicMethod(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
        try {
          return c.getMethod(name, parameters);
        } catch (NoSuchMethodException ignored) {
          // Try the interfaces.
        }
      }
      for (Class<?> i : c.getInterfaces()) {
        Method found = interfaceMethod(i, name, parameters);
        if (found != null) {
          return found;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }

  private static Method interfaceMethod(Class<?> type, String name, Class<?>... parameters) {
    if (java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
      try {
        return type.getMethod(name, parameters);
      } catch (NoSuchMethodException ignored) {
        // Look further up.
      }
    }
    for (Class<?> i : type.getInterfaces()) {
      Method found = interfaceMethod(i, name, parameters);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
