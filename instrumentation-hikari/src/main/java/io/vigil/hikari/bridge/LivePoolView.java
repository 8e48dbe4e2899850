package io.vigil.hikari.bridge;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import io.vigil.bootstrap.HikariPools;

/**
 * Reads one pool as its own {@code HikariPoolMXBean} does: live counts, never HikariCP's {@code
 * PoolStats} (which caches for a second), so {@code /metrics} and the MXBean agree.
 */
final class LivePoolView implements HikariPools.PoolView {

  private final HikariPool pool;

  LivePoolView(HikariPool pool) {
    this.pool = pool;
  }

  private HikariConfig config() {
    return pool.config;
  }

  @Override
  public Object pool() {
    return pool;
  }

  @Override
  public String poolName() {
    return config().getPoolName();
  }

  @Override
  public String jdbcUrl() {
    return config().getJdbcUrl();
  }

  @Override
  public String databaseName() {
    return config().getDataSourceProperties().getProperty("databaseName");
  }

  @Override
  public int activeConnections() {
    return pool.getActiveConnections();
  }

  @Override
  public int idleConnections() {
    return pool.getIdleConnections();
  }

  @Override
  public int totalConnections() {
    return pool.getTotalConnections();
  }

  @Override
  public int pendingThreads() {
    return pool.getThreadsAwaitingConnection();
  }

  @Override
  public int maxConnections() {
    return config().getMaximumPoolSize();
  }

  @Override
  public int minIdle() {
    return config().getMinimumIdle();
  }

  @Override
  public long connectionTimeoutMillis() {
    return config().getConnectionTimeout();
  }

  @Override
  public int state() {
    // HikariPool.POOL_NORMAL / POOL_SUSPENDED / POOL_SHUTDOWN are 0 / 1 / 2 in 3.x to 6.x.
    return pool.poolState;
  }
}
