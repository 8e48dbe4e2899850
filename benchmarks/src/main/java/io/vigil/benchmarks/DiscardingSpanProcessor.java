package io.vigil.benchmarks;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Wants every span started and ended, keeps none: with it the SDK records spans as in production
 * (with no processor at all it would skip recording), and no exporter cost is measured.
 */
public final class DiscardingSpanProcessor implements SpanProcessor {

  @Override
  public void onStart(Context parent, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return true;
  }
}
