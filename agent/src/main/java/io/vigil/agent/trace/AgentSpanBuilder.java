package io.vigil.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.vigil.api.WallClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds one {@link RecordedSpan}: the parent from the given or current context, the sampler's
 * decision, and the attributes set here handed to the span as they are, not copied.
 */
final class AgentSpanBuilder implements SpanBuilder {

  private final AgentTracer tracer;
  private final String name;
  private Context parent;
  private SpanKind kind = SpanKind.INTERNAL;
  private SpanAttributes attributes;
  private List<LinkData> links;
  private int totalLinks;
  private long startEpochNanos;

  AgentSpanBuilder(AgentTracer tracer, String name) {
    this.tracer = tracer;
    this.name = name;
  }

  @Override
  public SpanBuilder setParent(Context context) {
    if (context != null) {
      parent = context;
    }
    return this;
  }

  @Override
  public SpanBuilder setNoParent() {
    parent = Context.root();
    return this;
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext) {
    return addLink(spanContext, Attributes.empty());
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext, Attributes linkAttributes) {
    if (spanContext == null || !spanContext.isValid()) {
      return this;
    }
    totalLinks++;
    if (links == null) {
      links = new ArrayList<>(2);
    }
    if (links.size() < tracer.linkLimit) {
      links.add(LinkData.create(spanContext, linkAttributes == null ? Attributes.empty() : linkAttributes));
    }
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, String value) {
    return setAttribute(AttributeKey.stringKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, long value) {
    return setAttribute(AttributeKey.longKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, double value) {
    return setAttribute(AttributeKey.doubleKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, boolean value) {
    return setAttribute(AttributeKey.booleanKey(key), value);
  }

  @Override
  public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
    attributes().put(key, value);
    return this;
  }

  private SpanAttributes attributes() {
    if (attributes == null) {
      attributes = new SpanAttributes(tracer.attributeLimit);
    }
    return attributes;
  }

  @Override
  public SpanBuilder setSpanKind(SpanKind spanKind) {
    if (spanKind != null) {
      kind = spanKind;
    }
    return this;
  }

  @Override
  public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
    if (startTimestamp >= 0 && unit != null) {
      startEpochNanos = unit.toNanos(startTimestamp);
    }
    return this;
  }

  @Override
  public Span startSpan() {
    Context parentContext = parent == null ? Context.current() : parent;
    Span parentSpan = Span.fromContext(parentContext);
    SpanContext parentSpanContext = parentSpan.getSpanContext();
    String traceId = parentSpanContext.isValid() ? parentSpanContext.getTraceId() : tracer.ids.generateTraceId();
    String spanId = tracer.ids.generateSpanId();
    List<LinkData> spanLinks = links == null ? Collections.emptyList() : links;
    SamplingResult sampling = tracer.sampler.shouldSample(
        parentContext, traceId, name, kind, attributes == null ? Attributes.empty() : attributes, spanLinks);
    SamplingDecision decision = sampling.getDecision();
    SpanContext context = SpanContext.create(
        traceId,
        spanId,
        decision == SamplingDecision.RECORD_AND_SAMPLE ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        sampling.getUpdatedTraceState(parentSpanContext.getTraceState()));
    if (decision == SamplingDecision.DROP) {
      return Span.wrap(context);
    }
    Attributes samplerAttributes = sampling.getAttributes();
    if (!samplerAttributes.isEmpty()) {
      attributes().putAll(samplerAttributes);
    }
    long anchorEpochNanos;
    long anchorNanoTime;
    long start;
    if (parentSpan instanceof RecordedSpan) {
      // A child shares its local parent's clock, as in the SDK: children never start before
      // their parent because the wall clock stepped.
      RecordedSpan localParent = (RecordedSpan) parentSpan;
      anchorEpochNanos = localParent.anchorEpochNanos;
      anchorNanoTime = localParent.anchorNanoTime;
      start = anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    } else {
      anchorNanoTime = System.nanoTime();
      anchorEpochNanos = WallClock.epochNanos();
      start = anchorEpochNanos;
    }
    return new RecordedSpan(
        tracer,
        context,
        parentSpanContext,
        name,
        kind,
        attributes,
        spanLinks,
        totalLinks,
        anchorEpochNanos,
        anchorNanoTime,
        startEpochNanos != 0 ? startEpochNanos : start);
  }
}
