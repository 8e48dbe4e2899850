package io.vigil.hikari;

import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.bootstrap.HikariPools;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open pools: each pool that builds a tracker is registered once (by identity, however often
 * its factory is set) under a unique readable name ({@link PoolNames}), with its metric children and
 * its readiness check; it is removed when HikariCP closes its tracker (pool shutdown) or when the
 * pool has been garbage collected. Registration and removal are rare and synchronized; readers
 * (scrapes, probes) iterate a copy-on-write list.
 *
 * <p>At most {@code maxPools} pools are open at once here: an application that opens pools per
 * tenant or per request would otherwise add a pool name, its series and its check for each. A pool
 * opened while the cap is reached is not measured (HikariCP runs it with the application's own
 * tracker only); the overflow callback counts it, and a warning is logged once.
 */
final class TrackedPools implements HikariPools.Registrar {

  private static final Logger log = LoggerFactory.getLogger(TrackedPools.class);

  private final List<TrackedPool> open = new CopyOnWriteArrayList<>();
  private final PoolMetrics metrics;
  private final HealthRegistry health;
  private final LongSupplier nanoClock;
  private final int maxPools;
  private final Runnable onOverflow;
  private boolean warned;

  TrackedPools(PoolMetrics metrics, HealthRegistry health, LongSupplier nanoClock) {
    this(metrics, health, nanoClock, AgentMetrics.MAX_POOLS, null);
  }

  /**
   * @param maxPools pools measured at once
   * @param onOverflow run for each pool not measured because of the cap; may be null
   */
  TrackedPools(PoolMetrics metrics, HealthRegistry health, LongSupplier nanoClock, int maxPools, Runnable onOverflow) {
    this.metrics = metrics;
    this.health = health;
    this.nanoClock = nanoClock;
    this.maxPools = maxPools;
    this.onOverflow = onOverflow;
  }

  @Override
  public synchronized HikariPools.Listener trackerCreated(HikariPools.PoolView view) {
    expungeCollected();
    Object pool = view.pool();
    for (TrackedPool known : open) {
      if (known.isPool(pool)) {
        known.attach(view);
        return known;
      }
    }
    if (open.size() >= maxPools) {
      if (onOverflow != null) {
        onOverflow.run();
      }
      if (!warned) {
        warned = true;
        log.warn("{} HikariCP pools are open: pool {} and later ones are not measured", maxPools, view.poolName());
      }
      return null;
    }
    List<String> names = new ArrayList<>(open.size());
    for (TrackedPool known : open) {
      names.add(known.name());
    }
    String name = PoolNames.unique(PoolNames.baseName(view.poolName(), view.jdbcUrl(), view.databaseName()), names);
    TrackedPool tracked = new TrackedPool(
        name, view, metrics.children(name), new ExhaustionDetector(nanoClock, view.connectionTimeoutMillis()), this);
    open.add(tracked);
    health.register(tracked.readiness());
    log.info("Monitoring HikariCP pool {} as db_client_connection_pool_name=\"{}\"", view.poolName(), name);
    return tracked;
  }

  /** The pool shut down, or was found collected: its series and its check go away. */
  synchronized void closed(TrackedPool pool) {
    if (open.remove(pool)) {
      health.unregister(pool.readiness());
      metrics.remove(pool.name());
      log.info("HikariCP pool {} (\"{}\") closed; no longer reported", pool.hikariName(), pool.name());
    }
  }

  /** The open pools, collected ones dropped first. */
  List<TrackedPool> open() {
    for (TrackedPool pool : open) {
      if (pool.isGone()) {
        closed(pool);
      }
    }
    return open;
  }

  private void expungeCollected() {
    for (TrackedPool pool : open) {
      if (pool.isGone()) {
        closed(pool);
      }
    }
  }
}
