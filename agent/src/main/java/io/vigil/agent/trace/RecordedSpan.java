package io.vigil.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A recording span that is also the data the exporter reads: when it ends it goes to the export
 * queue as it is, where the SDK's span would first be copied into a new {@link SpanData} with an
 * immutable copy of its attributes.
 *
 * <p>Vigil's instrumentations write to a span from one thread at a time (a request's thread, or the
 * thread that completes it asynchronously, after the container's hand-over). {@link #end} is the
 * one step that may race, with itself: a compare-and-set lets one end through, and it publishes the
 * span to the export thread. Every write after the end is ignored, so the exporter reads fields that
 * no longer change.
 */
final class RecordedSpan implements Span, SpanData {

  private static final AtomicIntegerFieldUpdater<RecordedSpan> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(RecordedSpan.class, "ended");

  private final AgentTracer tracer;
  private final SpanContext context;
  private final SpanContext parentContext;
  private final SpanKind kind;
  private final List<LinkData> links;
  private final int totalLinks;
  /** The trace's clock: wall time read once where the trace started here, advanced by nanoTime. */
  final long anchorEpochNanos;
  final long anchorNanoTime;
  private final long startEpochNanos;

  private String name;
  private SpanAttributes attributes;
  private List<EventData> events;
  private int totalEvents;
  private StatusData status = StatusData.unset();
  private long endEpochNanos;
  private volatile int ended;

  RecordedSpan(
      AgentTracer tracer,
      SpanContext context,
      SpanContext parentContext,
      String name,
      SpanKind kind,
      SpanAttributes attributes,
      List<LinkData> links,
      int totalLinks,
      long anchorEpochNanos,
      long anchorNanoTime,
      long startEpochNanos) {
    this.tracer = tracer;
    this.context = context;
    this.parentContext = parentContext;
    this.name = name;
    this.kind = kind;
    this.attributes = attributes;
    this.links = links;
    this.totalLinks = totalLinks;
    this.anchorEpochNanos = anchorEpochNanos;
    this.anchorNanoTime = anchorNanoTime;
    this.startEpochNanos = startEpochNanos;
  }

  private long now() {
    return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
  }

  // ---- Span: written by the instrumentation

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    if (ended == 0) {
      if (attributes == null) {
        attributes = new SpanAttributes(tracer.attributeLimit);
      }
      attributes.put(key, value);
    }
    return this;
  }

  @Override
  public Span addEvent(String eventName, Attributes eventAttributes) {
    return addEvent(eventName, eventAttributes, now());
  }

  @Override
  public Span addEvent(String eventName, Attributes eventAttributes, long timestamp, TimeUnit unit) {
    return addEvent(eventName, eventAttributes, unit.toNanos(timestamp));
  }

  private Span addEvent(String eventName, Attributes eventAttributes, long epochNanos) {
    if (eventName == null || ended != 0) {
      return this;
    }
    Attributes kept = eventAttributes == null ? Attributes.empty() : eventAttributes;
    int attributeCount = kept.size();
    if (attributeCount > tracer.eventAttributeLimit) {
      SpanAttributes trimmed = new SpanAttributes(tracer.eventAttributeLimit);
      trimmed.putAll(kept);
      kept = trimmed;
    }
    totalEvents++;
    if (events == null) {
      events = new ArrayList<>(2);
    }
    if (events.size() < tracer.eventLimit) {
      events.add(EventData.create(epochNanos, eventName, kept, attributeCount));
    }
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additional) {
    if (exception == null || ended != 0) {
      return this;
    }
    AttributesBuilder eventAttributes = Attributes.builder();
    tracer.exceptionAttributes.setExceptionAttributes(eventAttributes::put, exception, Integer.MAX_VALUE);
    if (additional != null) {
      eventAttributes.putAll(additional);
    }
    return addEvent("exception", eventAttributes.build(), now());
  }

  /** As the SDK: OK is final, UNSET is no change. */
  @Override
  public Span setStatus(StatusCode statusCode, String description) {
    if (statusCode == null || statusCode == StatusCode.UNSET || ended != 0
        || status.getStatusCode() == StatusCode.OK) {
      return this;
    }
    status = StatusData.create(statusCode, statusCode == StatusCode.ERROR ? description : null);
    return this;
  }

  @Override
  public Span updateName(String newName) {
    if (newName != null && ended == 0) {
      name = newName;
    }
    return this;
  }

  @Override
  public void end() {
    end(now());
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    end(timestamp == 0 ? now() : unit.toNanos(timestamp));
  }

  private void end(long epochNanos) {
    if (ended != 0 || !ENDED.compareAndSet(this, 0, 1)) {
      return;
    }
    endEpochNanos = epochNanos;
    tracer.sink.ended(this);
  }

  @Override
  public boolean isRecording() {
    return ended == 0;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  // ---- SpanData: read by the exporter once the span has ended

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parentContext;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public Attributes getAttributes() {
    return attributes == null ? Attributes.empty() : attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events == null ? Collections.emptyList() : events;
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public boolean hasEnded() {
    return ended != 0;
  }

  @Override
  public int getTotalRecordedEvents() {
    return totalEvents;
  }

  @Override
  public int getTotalRecordedLinks() {
    return totalLinks;
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes == null ? 0 : attributes.totalAdded();
  }

  @Override
  @Deprecated
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return tracer.libraryInfo;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return tracer.scope;
  }

  @Override
  public Resource getResource() {
    return tracer.resource;
  }

  @Override
  public String toString() {
    return "RecordedSpan{name=" + name + ", context=" + context + ", kind=" + kind + ", ended=" + (ended != 0) + '}';
  }
}
