package io.vigil.hikari;

import io.vigil.bootstrap.HikariPools;

/** One read of a pool's numbers, taken together so that a scrape or a probe is consistent. */
final class PoolSnapshot {

  final int active;
  final int idle;
  final int total;
  final int pending;
  final int max;
  final int minIdle;
  final long connectionTimeoutMillis;
  final int state;

  PoolSnapshot(int active, int idle, int total, int pending, int max, int minIdle, long connectionTimeoutMillis, int state) {
    this.active = active;
    this.idle = idle;
    this.total = total;
    this.pending = pending;
    this.max = max;
    this.minIdle = minIdle;
    this.connectionTimeoutMillis = connectionTimeoutMillis;
    this.state = state;
  }

  static PoolSnapshot read(HikariPools.PoolView view) {
    return new PoolSnapshot(
        view.activeConnections(),
        view.idleConnections(),
        view.totalConnections(),
        view.pendingThreads(),
        view.maxConnections(),
        view.minIdle(),
        view.connectionTimeoutMillis(),
        view.state());
  }
}
