package io.vigil.hikari.bridge;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import io.vigil.bootstrap.AdviceErrors;
import io.vigil.bootstrap.HikariPools;

/**
 * Reports each callback to the agent's {@link HikariPools.Listener}, then passes it on to the
 * application's tracker. On the pool's hot path: two interface calls, no allocation, no lock. The
 * agent's failures are recorded and swallowed; the application's tracker is called regardless.
 */
final class ChainingTracker implements IMetricsTracker {

  private final IMetricsTracker app;
  private final HikariPools.Listener listener;
  /**
   * Held only to keep the view reachable exactly as long as the pool uses this tracker: the agent
   * holds it weakly, so a pool that is garbage collected stops reporting instead of being pinned.
   */
  @SuppressWarnings("unused")
  private final LivePoolView view;

  ChainingTracker(IMetricsTracker app, HikariPools.Listener listener, LivePoolView view) {
    this.app = app;
    this.listener = listener;
    this.view = view;
  }

  @Override
  public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
    try {
      listener.connectionCreated(connectionCreatedMillis);
    } catch (Throwable t) {
      AdviceErrors.record(t, "hikari");
    }
    app.recordConnectionCreatedMillis(connectionCreatedMillis);
  }

  @Override
  public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
    try {
      listener.connectionAcquired(elapsedAcquiredNanos);
    } catch (Throwable t) {
      AdviceErrors.record(t, "hikari");
    }
    app.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
  }

  @Override
  public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
    try {
      listener.connectionUsed(elapsedBorrowedMillis);
    } catch (Throwable t) {
      AdviceErrors.record(t, "hikari");
    }
    app.recordConnectionUsageMillis(elapsedBorrowedMillis);
  }

  @Override
  public void recordConnectionTimeout() {
    try {
      listener.connectionTimedOut();
    } catch (Throwable t) {
      AdviceErrors.record(t, "hikari");
    }
    app.recordConnectionTimeout();
  }

  @Override
  public void close() {
    try {
      listener.closed();
    } catch (Throwable t) {
      AdviceErrors.record(t, "hikari");
    }
    app.close();
  }
}
