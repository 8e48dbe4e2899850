package io.vigil.hikari;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * The pushed pool series of docs/metrics.md: the wait, use and create time histograms and the
 * timeout counter, labelled {@code db_client_connection_pool_name}. The gauges are read at scrape
 * time by {@link PoolGauges}. Each pool resolves its children once ({@link #children}); its callbacks then
 * record with a bare {@code observe()} / {@code inc()}. A closed pool's children are removed, so
 * it leaves no stale series.
 */
final class PoolMetrics {

  static final String POOL_LABEL = "db_client_connection_pool_name";

  /**
   * Acquisition: a healthy pool hands out an idle connection in microseconds, so the low buckets
   * (0.1 ms, 0.5 ms) are where contention shows first; the top buckets reach HikariCP's default
   * 30 s connection timeout, after which a request fails instead of waiting.
   */
  static final double[] WAIT_BUCKETS = {
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  /**
   * How long the application holds a connection: the DB buckets (a query to a transaction) plus
   * 30 s and 60 s, where HikariCP's leak detection and long batch transactions live. HikariCP
   * reports this in whole milliseconds.
   */
  static final double[] USE_BUCKETS = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  /**
   * Opening a physical connection: TCP, TLS and authentication, a millisecond on a local socket to
   * seconds across regions or against an overloaded server: the DB buckets. Whole milliseconds.
   */
  static final double[] CREATE_BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final Histogram waitTime;
  private final Histogram useTime;
  private final Histogram createTime;
  private final Counter timeouts;

  PoolMetrics(CollectorRegistry registry) {
    waitTime =
        Histogram.build(
                "db_client_connection_wait_time_seconds",
                "Time a request waited for a connection from the pool (HikariCP acquisition time).")
            .labelNames(POOL_LABEL)
            .buckets(WAIT_BUCKETS)
            .register(registry);
    useTime =
        Histogram.build(
                "db_client_connection_use_time_seconds",
                "Time a connection was held by the application, from borrow to return.")
            .labelNames(POOL_LABEL)
            .buckets(USE_BUCKETS)
            .register(registry);
    createTime =
        Histogram.build(
                "db_client_connection_create_time_seconds", "Time the pool took to open a physical connection.")
            .labelNames(POOL_LABEL)
            .buckets(CREATE_BUCKETS)
            .register(registry);
    timeouts =
        Counter.build(
                "db_client_connection_timeouts",
                "Requests for a connection that failed after waiting the pool's connection timeout.")
            .labelNames(POOL_LABEL)
            .register(registry);
  }

  /** One pool's children, created (and thereby exposed at zero) now. */
  Children children(String poolName) {
    return new Children(
        waitTime.labels(poolName), useTime.labels(poolName), createTime.labels(poolName), timeouts.labels(poolName));
  }

  void remove(String poolName) {
    waitTime.remove(poolName);
    useTime.remove(poolName);
    createTime.remove(poolName);
    timeouts.remove(poolName);
  }

  /** The resolved children of one pool. */
  static final class Children {
    final Histogram.Child waitTime;
    final Histogram.Child useTime;
    final Histogram.Child createTime;
    final Counter.Child timeouts;

    Children(Histogram.Child waitTime, Histogram.Child useTime, Histogram.Child createTime, Counter.Child timeouts) {
      this.waitTime = waitTime;
      this.useTime = useTime;
      this.createTime = createTime;
      this.timeouts = timeouts;
    }
  }
}
