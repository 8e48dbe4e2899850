package io.vigil.agent.trace;

import io.opentelemetry.sdk.trace.data.SpanData;

/** Where {@link AgentTracer}'s spans go when they end, on the thread that ends them. */
@FunctionalInterface
public interface SpanSink {

  /** {@code span} has ended: nothing writes to it any more. Must not block. */
  void ended(SpanData span);
}
