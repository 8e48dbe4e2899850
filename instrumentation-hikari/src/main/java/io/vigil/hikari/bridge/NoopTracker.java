package io.vigil.hikari.bridge;

import com.zaxxer.hikari.metrics.IMetricsTracker;

/** Stands in for the application's tracker when it set no factory: every callback is a no-op. */
final class NoopTracker implements IMetricsTracker {

  static final NoopTracker INSTANCE = new NoopTracker();

  private NoopTracker() {}
}
