package io.vigil.hikari;

import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthResult;
import io.vigil.bootstrap.HikariPools;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One open pool as the agent sees it: the listener its tracker reports to (hot path: resolved
 * children, no lookups, no locks), the source of its gauges, and its readiness check.
 *
 * <p>The pool is held only weakly, through the {@link HikariPools.PoolView} its current tracker
 * keeps alive: the agent never pins a pool, nor the class loader of a web application that made
 * one.
 */
final class TrackedPool implements HikariPools.Listener {

  private final String name;
  private final String hikariName;
  private final WeakReference<Object> pool;
  private volatile WeakReference<HikariPools.PoolView> view;
  private final PoolMetrics.Children metrics;
  private final ExhaustionDetector exhaustion;
  private final TrackedPools owner;
  private final Readiness readiness = new Readiness();

  TrackedPool(
      String name,
      HikariPools.PoolView view,
      PoolMetrics.Children metrics,
      ExhaustionDetector exhaustion,
      TrackedPools owner) {
    this.name = name;
    this.hikariName = view.poolName();
    this.pool = new WeakReference<>(view.pool());
    this.view = new WeakReference<>(view);
    this.metrics = metrics;
    this.exhaustion = exhaustion;
    this.owner = owner;
  }

  /** The {@code db_client_connection_pool_name}. */
  String name() {
    return name;
  }

  /** The name HikariCP knows the pool by (its log lines, its JMX beans). */
  String hikariName() {
    return hikariName;
  }

  boolean isPool(Object candidate) {
    return pool.get() == candidate;
  }

  /** The pool built a new tracker (its factory was set again): read it through the new view. */
  void attach(HikariPools.PoolView newView) {
    view = new WeakReference<>(newView);
  }

  boolean isGone() {
    return view.get() == null;
  }

  HealthCheck readiness() {
    return readiness;
  }

  /** Reads the pool now and feeds the exhaustion detector; null when the pool is gone. */
  PoolSnapshot observe() {
    HikariPools.PoolView current = view.get();
    if (current == null) {
      return null;
    }
    PoolSnapshot snapshot = PoolSnapshot.read(current);
    if (snapshot.state == HikariPools.STATE_SHUTDOWN) {
      // Closing: it stops reporting now rather than when HikariCP finishes closing connections.
      return null;
    }
    // Every scrape is also an observation for readiness: exhaustion is seen between probes.
    exhaustion.observe(snapshot.idle, snapshot.pending, snapshot.connectionTimeoutMillis);
    return snapshot;
  }

  @Override
  public void connectionCreated(long millis) {
    metrics.createTime.observe(millis / 1e3);
  }

  @Override
  public void connectionAcquired(long nanos) {
    metrics.waitTime.observe(nanos / 1e9);
    exhaustion.onAcquired(nanos);
  }

  @Override
  public void connectionUsed(long millis) {
    metrics.useTime.observe(millis / 1e3);
  }

  @Override
  public void connectionTimedOut() {
    metrics.timeouts.inc();
    exhaustion.onTimeout();
  }

  @Override
  public void closed() {
    owner.closed(this);
  }

  /** {@code /health/ready}: can this pool hand out connections? */
  HealthResult check() {
    HikariPools.PoolView current = view.get();
    if (current == null) {
      owner.closed(this);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("pool", name);
      return HealthResult.up(details);
    }
    PoolSnapshot s = PoolSnapshot.read(current);
    long exhaustedNanos = exhaustion.observe(s.idle, s.pending, s.connectionTimeoutMillis);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("pool", name);
    details.put("hikari_pool_name", hikariName);
    details.put("active", s.active);
    details.put("idle", s.idle);
    details.put("pending", s.pending);
    details.put("max", s.max);
    details.put("total", s.total);
    details.put("min_idle", s.minIdle);
    details.put("timeouts", (long) metrics.timeouts.get());
    details.put("threshold_ms", TimeUnit.NANOSECONDS.toMillis(exhaustion.thresholdNanos()));
    if (s.state == HikariPools.STATE_SHUTDOWN) {
      return HealthResult.down("pool is shutting down", details);
    }
    if (s.state == HikariPools.STATE_SUSPENDED) {
      return HealthResult.down("pool is suspended (HikariPoolMXBean.suspendPool); requests wait until it is resumed", details);
    }
    if (exhaustedNanos >= 0) {
      long millis = TimeUnit.NANOSECONDS.toMillis(exhaustedNanos);
      details.put("exhausted_ms", millis);
      return HealthResult.down(
          "pool exhausted: no idle connection, " + s.active + "/" + s.max + " in use, " + s.pending
              + " request(s) waiting for at least " + millis + " ms",
          details);
    }
    return HealthResult.up(details);
  }

  private final class Readiness implements HealthCheck {
    @Override
    public String name() {
      return "hikari:" + name;
    }

    @Override
    public Kind kind() {
      return Kind.READINESS;
    }

    @Override
    public HealthResult check() {
      return TrackedPool.this.check();
    }
  }
}
