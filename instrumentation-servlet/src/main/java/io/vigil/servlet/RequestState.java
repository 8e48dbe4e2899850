package io.vigil.servlet;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.prometheus.client.Gauge;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One request in flight, from the outermost {@code service()} until its response is complete. It
 * is held by the thread that runs {@code service()} and, once async processing starts, by the
 * async listener; {@link #release} by the last holder ends it, exactly once.
 */
final class RequestState {

  final long startNanos;
  final String method;
  final String requestUri;
  final String contextPath;
  final String servletPattern;
  final Gauge.Child active;
  final Span span;
  final Context context;

  // Written by the service thread, read by whichever thread ends the request: the hand-over
  // through the atomic hold count orders them.
  boolean applicationServletRan;
  boolean containerServletRan;
  int status = 200;
  Throwable error;
  /** The exception a framework handled into a 5xx; only for error tracking, not the metrics. */
  Throwable handledError;
  Object frameworkPattern;

  /** The service thread's scope and MDC, closed when service() returns. */
  Scope scope;
  MdcBridge.Binding mdc;

  // Field updaters rather than two atomic objects: 32 bytes less on every request.
  private static final AtomicIntegerFieldUpdater<RequestState> HOLDS =
      AtomicIntegerFieldUpdater.newUpdater(RequestState.class, "holds");
  private static final AtomicIntegerFieldUpdater<RequestState> ASYNC_LISTENER =
      AtomicIntegerFieldUpdater.newUpdater(RequestState.class, "asyncListener");

  private volatile int holds = 1;
  private volatile int asyncListener;

  RequestState(
      long startNanos,
      String method,
      String requestUri,
      String contextPath,
      String servletPattern,
      Gauge.Child active,
      Span span,
      Context context) {
    this.startNanos = startNanos;
    this.method = method;
    this.requestUri = requestUri;
    this.contextPath = contextPath;
    this.servletPattern = servletPattern;
    this.active = active;
    this.span = span;
    this.context = context;
  }

  void hold() {
    HOLDS.incrementAndGet(this);
  }

  /** Returns true for the caller that must end the request. */
  boolean release() {
    return HOLDS.decrementAndGet(this) == 0;
  }

  /** Returns true once: for the caller that adds the request's async listener. */
  boolean claimAsyncListener() {
    return ASYNC_LISTENER.compareAndSet(this, 0, 1);
  }
}
