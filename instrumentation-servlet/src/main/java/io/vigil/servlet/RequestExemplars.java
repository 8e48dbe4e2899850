package io.vigil.servlet;

import io.prometheus.client.Histogram;
import io.prometheus.client.exemplars.Exemplar;
import io.prometheus.client.exemplars.HistogramExemplarSampler;
import java.util.function.LongSupplier;

/**
 * Trace exemplars on the request histogram: the trace and span id of a sampled request, kept per
 * bucket. A bucket's exemplar is replaced at most once per {@code minIntervalMillis}: a scraper
 * sees one per bucket anyway, and building one (simpleclient validates its label names with a
 * regular expression) costs more than the rest of the metric recording, so most requests skip it.
 *
 * <p>The ids reach simpleclient's sampler callback through a per-thread holder rather than an
 * argument, which keeps the request path free of allocations when no exemplar is due.
 */
final class RequestExemplars implements HistogramExemplarSampler {

  static final long DEFAULT_MIN_INTERVAL_MILLIS = 1000;

  private static final class Ids {
    String traceId;
    String spanId;
  }

  private final ThreadLocal<Ids> current = ThreadLocal.withInitial(Ids::new);
  private final long minIntervalMillis;
  private final LongSupplier clockMillis;

  RequestExemplars(long minIntervalMillis, LongSupplier clockMillis) {
    this.minIntervalMillis = minIntervalMillis;
    this.clockMillis = clockMillis;
  }

  /** Observes {@code seconds}; the ids may become the exemplar of its bucket. */
  void observe(Histogram.Child child, double seconds, String traceId, String spanId) {
    Ids ids = current.get();
    ids.traceId = traceId;
    ids.spanId = spanId;
    try {
      child.observe(seconds);
    } finally {
      ids.traceId = null;
      ids.spanId = null;
    }
  }

  @Override
  public Exemplar sample(double value, double bucketFrom, double bucketTo, Exemplar previous) {
    Ids ids = current.get();
    if (ids.traceId == null || ids.spanId == null) {
      return null;
    }
    long now = clockMillis.getAsLong();
    Long previousMillis = previous == null ? null : previous.getTimestampMs();
    if (previousMillis != null && now - previousMillis < minIntervalMillis) {
      return null;
    }
    return new Exemplar(value, now, "trace_id", ids.traceId, "span_id", ids.spanId);
  }
}
