package io.vigil.agent.trace;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;

/**
 * The tracer handed to the instrumentations before the real one exists. Building the tracer and its
 * export pipeline happens beside the application's own start, not before it; until then spans are
 * the API's no-op ones, and the application is neither delayed nor aware of it.
 */
public final class DeferredTracer implements Tracer {

  private volatile Tracer delegate = TracerProvider.noop().get("io.vigil");

  /** From now on every span comes from {@code tracer}. */
  public void set(Tracer tracer) {
    delegate = tracer;
  }

  @Override
  public SpanBuilder spanBuilder(String spanName) {
    return delegate.spanBuilder(spanName);
  }
}
