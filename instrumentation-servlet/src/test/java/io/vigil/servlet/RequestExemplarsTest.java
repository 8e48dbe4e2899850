package io.vigil.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exemplars.Exemplar;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestExemplarsTest {

  private static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "b7ad6b7169203331";

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final CollectorRegistry registry = new CollectorRegistry();
  private final HttpServerMetrics metrics = new HttpServerMetrics(registry, 8, new RequestExemplars(1000, now::get));

  /** The exemplar on the bucket {@code le} of GET /a 200. */
  private Exemplar exemplar(String le) {
    for (Collector.MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
      for (Collector.MetricFamilySamples.Sample sample : family.samples) {
        if (sample.name.equals("http_server_request_duration_seconds_bucket")
            && sample.labelValues.get(sample.labelNames.indexOf("le")).equals(le)) {
          return sample.exemplar;
        }
      }
    }
    throw new AssertionError("no bucket le=" + le);
  }

  @Test
  void aSampledRequestLeavesItsIdsOnItsBucket() {
    metrics.record("GET", "/a", 200, "", 0.02, TRACE_A, SPAN);
    Exemplar exemplar = exemplar("0.025");
    assertEquals(TRACE_A, exemplar.getLabelValue(exemplar.getLabelName(0).equals("trace_id") ? 0 : 1));
    assertEquals(0.02, exemplar.getValue());
    assertEquals(now.get(), exemplar.getTimestampMs());
    assertNull(exemplar("0.01"));
  }

  @Test
  void anUnsampledRequestLeavesNone() {
    metrics.record("GET", "/a", 200, "", 0.02, null, null);
    assertNull(exemplar("0.025"));
  }

  @Test
  void aBucketKeepsItsExemplarForTheIntervalThenTakesANewOne() {
    metrics.record("GET", "/a", 200, "", 0.02, TRACE_A, SPAN);
    now.addAndGet(999);
    metrics.record("GET", "/a", 200, "", 0.021, TRACE_B, SPAN);
    assertEquals(0.02, exemplar("0.025").getValue());
    now.addAndGet(1);
    metrics.record("GET", "/a", 200, "", 0.022, TRACE_B, SPAN);
    assertEquals(0.022, exemplar("0.025").getValue());
  }

  @Test
  void eachBucketHasItsOwn() {
    metrics.record("GET", "/a", 200, "", 0.02, TRACE_A, SPAN);
    metrics.record("GET", "/a", 200, "", 0.3, TRACE_B, SPAN);
    assertEquals(0.02, exemplar("0.025").getValue());
    assertEquals(0.3, exemplar("0.5").getValue());
  }

  @Test
  void theIdsDoNotLeakIntoTheNextObservationOnTheThread() {
    metrics.record("GET", "/a", 200, "", 0.02, TRACE_A, SPAN);
    now.addAndGet(5000);
    metrics.record("GET", "/a", 200, "", 0.3, null, null);
    assertNull(exemplar("0.5"));
  }
}
