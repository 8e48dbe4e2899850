package io.vigil.agent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DeferredTracerTest {

  @Test
  void spansBeforeTheSdkIsSetAreNoOpsAndAfterwardsRecorded() {
    DeferredTracer tracer = new DeferredTracer();
    Span early = tracer.spanBuilder("early").startSpan();
    assertFalse(early.isRecording());
    assertFalse(early.getSpanContext().isValid());
    early.end();

    List<String> ended = new CopyOnWriteArrayList<>();
    try (SdkTracerProvider sdk = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        ended.add(span.getName());
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    }).build()) {
      tracer.set(sdk.get("test"));
      Span late = tracer.spanBuilder("late").startSpan();
      assertTrue(late.isRecording());
      late.end();
      assertEquals(List.of("late"), ended);
    }
  }
}
