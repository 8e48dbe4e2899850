package io.vigil.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.health.HealthRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pools past the cap are not measured, and counted; a closed pool frees its place. */
class PoolCapTest {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final AtomicInteger overflows = new AtomicInteger();
  private final TrackedPools pools =
      new TrackedPools(new PoolMetrics(registry), new HealthRegistry(), System::nanoTime, 2, overflows::incrementAndGet);
  private final TrackerFactories hook = new TrackerFactories(pools, PoolCapTest.class.getClassLoader());
  private final List<HikariDataSource> opened = new ArrayList<>();

  PoolCapTest() {
    new PoolGauges(pools).register(registry);
  }

  @AfterEach
  void closeAll() {
    for (HikariDataSource ds : opened) {
      ds.close();
    }
  }

  @Test
  void poolsPastTheCapAreNotMeasuredUntilOneCloses() {
    open("cap_a");
    HikariDataSource b = open("cap_b");
    open("cap_c");
    assertNotNull(max("cap_a"));
    assertNotNull(max("cap_b"));
    assertNull(max("cap_c"), "the third pool has no series");
    assertEquals(1, overflows.get());
    assertEquals(2, pools.open().size());

    b.close();
    open("cap_d");
    assertNotNull(max("cap_d"), "a closed pool's place is free again");
    assertEquals(1, overflows.get());
  }

  private HikariDataSource open(String db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1");
    config.setMaximumPoolSize(1);
    config.setMinimumIdle(0);
    HikariDataSource ds = new HikariDataSource(config);
    opened.add(ds);
    HikariPool pool = (HikariPool) ds.getHikariPoolMXBean();
    pool.setMetricsTrackerFactory((MetricsTrackerFactory) hook.trackerFactory(pool, config.getMetricsTrackerFactory()));
    return ds;
  }

  private Double max(String pool) {
    return registry.getSampleValue("db_client_connection_max", new String[] {PoolMetrics.POOL_LABEL}, new String[] {pool});
  }
}
