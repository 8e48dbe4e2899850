package io.vigil.agent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Vigil's tracer against the SDK's: the same calls give spans that export the same, and the parts
 * Vigil does its own way (one end, no writes after it, the parent's clock) hold.
 */
class AgentTracerTest {

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final Resource RESOURCE = Resource.getDefault().merge(
      Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "tracer-test")));

  private final List<SpanData> ours = new CopyOnWriteArrayList<>();
  private final List<SpanData> sdks = new CopyOnWriteArrayList<>();

  private Tracer ours(Sampler sampler) {
    return new AgentTracer(RESOURCE, "1.2.3", sampler, ours::add);
  }

  private Tracer sdk(Sampler sampler) {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(RESOURCE)
        .setSampler(sampler)
        .addSpanProcessor(SimpleSpanProcessor.create(new Collecting(sdks)))
        .build();
    return provider.get("io.vigil", "1.2.3");
  }

  /** What the exporter reads, less ids and times, which differ between any two spans. */
  private static String exported(SpanData span) {
    StringBuilder text = new StringBuilder()
        .append(span.getName()).append(' ').append(span.getKind())
        .append(" attributes=").append(sorted(span.getAttributes()))
        .append(" total=").append(span.getTotalAttributeCount())
        .append(" status=").append(span.getStatus().getStatusCode()).append('/').append(span.getStatus().getDescription())
        .append(" parentValid=").append(span.getParentSpanContext().isValid())
        .append(" parentRemote=").append(span.getParentSpanContext().isRemote())
        .append(" sampled=").append(span.getSpanContext().isSampled())
        .append(" traceState=").append(span.getSpanContext().getTraceState().asMap())
        .append(" scope=").append(span.getInstrumentationScopeInfo())
        .append(" resource=").append(span.getResource().getAttributes().asMap())
        .append(" ended=").append(span.hasEnded())
        .append(" links=").append(span.getTotalRecordedLinks());
    for (EventData event : span.getEvents()) {
      text.append(" event=").append(event.getName()).append(sorted(event.getAttributes()))
          .append('/').append(event.getTotalAttributeCount());
    }
    return text.toString();
  }

  /** By name: the SDK's map keeps no order, and the exporter's output does not depend on one. */
  private static Map<String, Object> sorted(Attributes attributes) {
    Map<String, Object> byName = new TreeMap<>();
    attributes.forEach((key, value) -> byName.put(key.getKey() + ":" + key.getType(), value));
    return byName;
  }

  private void assertSameAsSdk(Sampler sampler, Consumer<Tracer> calls) {
    calls.accept(sdk(sampler));
    calls.accept(ours(sampler));
    assertEquals(sdks.size(), ours.size(), "spans ended");
    for (int i = 0; i < sdks.size(); i++) {
      assertEquals(exported(sdks.get(i)), exported(ours.get(i)));
    }
    sdks.clear();
    ours.clear();
  }

  @Test
  void aServerSpanWithAChildAndAnErrorExportsAsTheSdksDoes() {
    SQLException failure = new SQLException("duplicate key", "23505"); // one stack trace for both
    assertSameAsSdk(Sampler.parentBased(Sampler.traceIdRatioBased(1.0)), tracer -> {
      Span server = tracer.spanBuilder("GET")
          .setSpanKind(SpanKind.SERVER)
          .setAttribute(METHOD, "GET")
          .setAttribute("url.path", "/owners/7")
          .setAttribute("server.port", 8080L)
          .startSpan();
      try (Scope ignored = server.makeCurrent()) {
        Span statement = tracer.spanBuilder("SELECT owners").setSpanKind(SpanKind.CLIENT)
            .setAttribute("db.system.name", "h2").startSpan();
        statement.setAttribute("error.type", "java.sql.SQLException");
        statement.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.type"), "java.sql.SQLException"));
        statement.setStatus(StatusCode.ERROR);
        statement.end();
      }
      server.updateName("GET /owners/{id}");
      server.setAttribute(ROUTE, "/owners/{id}");
      server.setAttribute(STATUS, 500L);
      server.setAttribute(METHOD, "GET"); // the same key again replaces, and is not counted twice
      server.recordException(failure);
      server.setStatus(StatusCode.ERROR, "internal");
      server.end();
    });
  }

  @Test
  void aRemoteParentsSampledFlagAndTraceStateCarryOver() {
    SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.builder().put("vendor", "x").build());
    Context parent = Context.root().with(Span.wrap(remote));
    assertSameAsSdk(Sampler.parentBased(Sampler.traceIdRatioBased(0.0)), tracer ->
        tracer.spanBuilder("continued").setParent(parent).startSpan().end());

    Span continued = ours(Sampler.parentBased(Sampler.traceIdRatioBased(0.0)))
        .spanBuilder("continued").setParent(parent).startSpan();
    assertEquals(remote.getTraceId(), continued.getSpanContext().getTraceId());
    assertNotEquals(remote.getSpanId(), continued.getSpanContext().getSpanId());
    continued.end();
    assertEquals(remote.getSpanId(), ours.get(0).getParentSpanContext().getSpanId());
  }

  @Test
  void aDroppedSpanCarriesItsIdsButRecordsNothing() {
    Span dropped = ours(Sampler.traceIdRatioBased(0.0)).spanBuilder("dropped").startSpan();
    assertFalse(dropped.isRecording());
    assertTrue(dropped.getSpanContext().isValid());
    assertFalse(dropped.getSpanContext().isSampled());
    dropped.end();
    assertTrue(ours.isEmpty());
  }

  @Test
  void aSpanEndsOnceAndIgnoresWritesAfterItsEnd() {
    Span span = ours(Sampler.alwaysOn()).spanBuilder("once").setAttribute(METHOD, "GET").startSpan();
    assertTrue(span.isRecording());
    span.end();
    span.setAttribute(ROUTE, "/late");
    span.updateName("late");
    span.setStatus(StatusCode.ERROR);
    span.addEvent("late");
    span.end();
    assertFalse(span.isRecording());
    assertEquals(1, ours.size());
    SpanData data = ours.get(0);
    assertSame(span, data, "the ended span is what the exporter reads, not a copy");
    assertEquals("once", data.getName());
    assertEquals(Attributes.of(METHOD, "GET").asMap(), data.getAttributes().asMap());
    assertEquals(StatusCode.UNSET, data.getStatus().getStatusCode());
    assertTrue(data.getEvents().isEmpty());
  }

  @Test
  void twoThreadsEndingTheSameSpansExportEachOnce() throws Exception {
    Tracer tracer = ours(Sampler.alwaysOn());
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      spans.add(tracer.spanBuilder("raced").startSpan());
    }
    CountDownLatch go = new CountDownLatch(1);
    Runnable endAll = () -> {
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      spans.forEach(Span::end);
    };
    Thread first = new Thread(endAll);
    Thread second = new Thread(endAll);
    first.start();
    second.start();
    go.countDown();
    first.join(10_000);
    second.join(10_000);
    assertEquals(2000, ours.size());
    assertEquals(2000, new HashSet<>(ours).size());
  }

  @Test
  void anOkStatusIsFinal() {
    Span span = ours(Sampler.alwaysOn()).spanBuilder("ok").startSpan();
    span.setStatus(StatusCode.OK);
    span.setStatus(StatusCode.ERROR, "later");
    span.end();
    assertEquals(StatusCode.OK, ours.get(0).getStatus().getStatusCode());
  }

  @Test
  void aChildUsesItsParentsClockAndTimestampsGivenAreKept() {
    Tracer tracer = ours(Sampler.alwaysOn());
    Span parent = tracer.spanBuilder("parent").startSpan();
    Span child = tracer.spanBuilder("child").setParent(Context.current().with(parent)).startSpan();
    child.end();
    parent.end();
    SpanData childData = ours.get(0);
    SpanData parentData = ours.get(1);
    assertTrue(childData.getStartEpochNanos() >= parentData.getStartEpochNanos());
    assertTrue(childData.getEndEpochNanos() <= parentData.getEndEpochNanos());
    assertTrue(parentData.getEndEpochNanos() >= parentData.getStartEpochNanos());
    assertEquals(parentData.getSpanContext().getSpanId(), childData.getParentSpanContext().getSpanId());

    Span backdated = tracer.spanBuilder("backdated").setStartTimestamp(1_000_000_000_123L, TimeUnit.NANOSECONDS)
        .startSpan();
    backdated.end(1_000_000_000_456L, TimeUnit.NANOSECONDS);
    assertEquals(1_000_000_000_123L, ours.get(2).getStartEpochNanos());
    assertEquals(1_000_000_000_456L, ours.get(2).getEndEpochNanos());
  }

  @Test
  void attributesPastTheLimitAreCountedAsDropped() {
    Span span = ours(Sampler.alwaysOn()).spanBuilder("many").startSpan();
    for (int i = 0; i < 200; i++) {
      span.setAttribute("key" + i, (long) i);
    }
    span.end();
    SpanData data = ours.get(0);
    assertEquals(128, data.getAttributes().size());
    assertEquals(200, data.getTotalAttributeCount());
    assertEquals(127L, data.getAttributes().get(AttributeKey.longKey("key127")));
    assertEquals(null, data.getAttributes().get(AttributeKey.longKey("key128")));
  }

  @Test
  void manyAttributesMatchTheSdk() {
    assertSameAsSdk(Sampler.alwaysOn(), tracer -> {
      Span span = tracer.spanBuilder("many").startSpan();
      for (int i = 0; i < 140; i++) {
        span.setAttribute("key" + (i % 130), "v" + i);
      }
      span.end();
    });
  }

  private static final class Collecting implements SpanExporter {
    private final List<SpanData> into;

    Collecting(List<SpanData> into) {
      this.into = into;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      into.addAll(new ArrayList<>(spans));
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
