package io.vigil.api.errors;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import java.util.Collections;
import java.util.List;

/**
 * The error groups in numbers, without a fingerprint label (one series per group would be
 * unbounded): {@code vigil_error_groups} read from the store at scrape time, {@code
 * vigil_error_groups_new_total} and {@code vigil_error_groups_evicted_total}.
 */
public final class ErrorMetrics implements ErrorGroups.Listener {

  private final Counter.Child created;
  private final Counter.Child evicted;

  public ErrorMetrics(CollectorRegistry registry) {
    created =
        Counter.build(
                "vigil_error_groups_new",
                "Error groups opened: an error with a fingerprint not in memory was seen. A group"
                    + " evicted and seen again counts again.")
            .register(registry)
            .labels();
    evicted =
        Counter.build(
                "vigil_error_groups_evicted",
                "Error groups dropped from memory, least recently seen first, to stay within"
                    + " errors.max-groups.")
            .register(registry)
            .labels();
  }

  /** Registers the gauge that reads {@code groups}' size at each scrape. */
  public static void registerGauge(CollectorRegistry registry, final ErrorGroups groups) {
    new Collector() {
      @Override
      public List<MetricFamilySamples> collect() {
        return Collections.<MetricFamilySamples>singletonList(
            new GaugeMetricFamily(
                "vigil_error_groups", "Distinct errors (by fingerprint) held in memory.", groups.size()));
      }
    }.register(registry);
  }

  @Override
  public void newGroup(ErrorGroup group) {
    created.inc();
  }

  @Override
  public void evicted(ErrorGroup group) {
    evicted.inc();
  }
}
