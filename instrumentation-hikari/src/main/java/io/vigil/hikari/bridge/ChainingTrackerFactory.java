package io.vigil.hikari.bridge;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import com.zaxxer.hikari.pool.HikariPool;
import io.vigil.bootstrap.AdviceErrors;
import io.vigil.bootstrap.HikariPools;

/**
 * The factory the agent installs on one {@link HikariPool}: it builds the application's own tracker
 * (when the application set a factory) and a tracker reporting to the agent, and chains them. The
 * application's factory sees exactly the calls it would see without the agent.
 */
public final class ChainingTrackerFactory implements MetricsTrackerFactory {

  private final HikariPool pool;
  private final MetricsTrackerFactory app;
  private final HikariPools.Registrar registrar;

  public ChainingTrackerFactory(HikariPool pool, MetricsTrackerFactory app, HikariPools.Registrar registrar) {
    this.pool = pool;
    this.app = app;
    this.registrar = registrar;
  }

  /** The application's factory, or null. */
  public MetricsTrackerFactory applicationFactory() {
    return app;
  }

  @Override
  public IMetricsTracker create(String poolName, PoolStats poolStats) {
    // The application's factory first and outside any try: its failures are its own, as without us.
    IMetricsTracker appTracker = app == null ? NoopTracker.INSTANCE : app.create(poolName, poolStats);
    LivePoolView view = new LivePoolView(pool);
    HikariPools.Listener listener = null;
    try {
      listener = registrar.trackerCreated(view);
    } catch (Throwable t) {
      AdviceErrors.record(t, "hikari");
    }
    if (listener == null) {
      return appTracker;
    }
    return new ChainingTracker(appTracker, listener, view);
  }
}
