package io.vigil.hikari;

import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The pool gauges, read from each open pool when Prometheus scrapes: {@code
 * db_client_connection_count{state=idle|used}}, {@code _max}, {@code _idle_min} and {@code
 * _pending_requests}. Only open pools report; the pools are held weakly by {@link TrackedPools}, so
 * a closed or collected pool simply stops appearing.
 */
final class PoolGauges extends Collector implements Collector.Describable {

  private static final List<String> POOL = Collections.singletonList(PoolMetrics.POOL_LABEL);
  private static final List<String> POOL_STATE =
      Arrays.asList(PoolMetrics.POOL_LABEL, "db_client_connection_state");

  private final TrackedPools pools;

  PoolGauges(TrackedPools pools) {
    this.pools = pools;
  }

  @Override
  public List<MetricFamilySamples> collect() {
    GaugeMetricFamily count = count();
    GaugeMetricFamily max = max();
    GaugeMetricFamily idleMin = idleMin();
    GaugeMetricFamily pending = pending();
    for (TrackedPool pool : pools.open()) {
      PoolSnapshot s = pool.observe();
      if (s == null) {
        continue;
      }
      List<String> name = Collections.singletonList(pool.name());
      count.addMetric(Arrays.asList(pool.name(), "idle"), s.idle);
      count.addMetric(Arrays.asList(pool.name(), "used"), s.active);
      max.addMetric(name, s.max);
      idleMin.addMetric(name, s.minIdle);
      pending.addMetric(name, s.pending);
    }
    List<MetricFamilySamples> out = new ArrayList<>(4);
    out.add(count);
    out.add(max);
    out.add(idleMin);
    out.add(pending);
    return out;
  }

  @Override
  public List<MetricFamilySamples> describe() {
    List<MetricFamilySamples> out = new ArrayList<>(4);
    out.add(count());
    out.add(max());
    out.add(idleMin());
    out.add(pending());
    return out;
  }

  private static GaugeMetricFamily count() {
    return new GaugeMetricFamily(
        "db_client_connection_count", "Connections in the pool, by state: idle, or used by the application.", POOL_STATE);
  }

  private static GaugeMetricFamily max() {
    return new GaugeMetricFamily(
        "db_client_connection_max", "The most connections the pool will open (maximumPoolSize).", POOL);
  }

  private static GaugeMetricFamily idleMin() {
    return new GaugeMetricFamily(
        "db_client_connection_idle_min", "The fewest idle connections the pool tries to keep (minimumIdle).", POOL);
  }

  private static GaugeMetricFamily pending() {
    return new GaugeMetricFamily(
        "db_client_connection_pending_requests", "Requests (threads) waiting for a connection from the pool.", POOL);
  }
}
