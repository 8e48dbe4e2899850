package io.vigil.agent.trace;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.internal.ExceptionAttributeResolver;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * The tracer behind Vigil's instrumentations: the OpenTelemetry API's spans, with the SDK's sampler,
 * id generator, resource and limits, but recorded as {@link RecordedSpan}s that the SDK's OTLP
 * exporter reads directly once they end.
 *
 * <p>Why not the SDK's tracer: per span it allocates a lock, a sixteen-entry attribute map whatever
 * the span carries, and at export a second copy of the span and its attributes. Vigil's spans are
 * written by one thread at a time and carry at most a dozen attributes, so they can be both the span
 * and the exported data.
 */
public final class AgentTracer implements Tracer {

  final Sampler sampler;
  final IdGenerator ids;
  final Resource resource;
  final InstrumentationScopeInfo scope;
  @SuppressWarnings("deprecation") // SpanData still asks for it
  final InstrumentationLibraryInfo libraryInfo;
  final SpanSink sink;
  final int attributeLimit;
  final int eventLimit;
  final int eventAttributeLimit;
  final int linkLimit;
  final ExceptionAttributeResolver exceptionAttributes = ExceptionAttributeResolver.getDefault();

  /**
   * @param scopeVersion the instrumentation scope's version (the agent's), the scope's name is
   *     {@code io.vigil}
   */
  @SuppressWarnings("deprecation")
  public AgentTracer(Resource resource, String scopeVersion, Sampler sampler, SpanSink sink) {
    this.resource = resource;
    this.scope = InstrumentationScopeInfo.builder("io.vigil").setVersion(scopeVersion).build();
    this.libraryInfo = InstrumentationLibraryInfo.create("io.vigil", scopeVersion);
    this.sampler = sampler;
    this.ids = IdGenerator.random();
    this.sink = sink;
    SpanLimits limits = SpanLimits.getDefault();
    this.attributeLimit = limits.getMaxNumberOfAttributes();
    this.eventLimit = limits.getMaxNumberOfEvents();
    this.eventAttributeLimit = limits.getMaxNumberOfAttributesPerEvent();
    this.linkLimit = limits.getMaxNumberOfLinks();
  }

  @Override
  public SpanBuilder spanBuilder(String spanName) {
    return new AgentSpanBuilder(this, spanName == null || spanName.trim().isEmpty() ? "<unspecified span name>" : spanName);
  }
}
