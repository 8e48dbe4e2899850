package io.vigil.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import com.zaxxer.hikari.pool.HikariPool;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.health.HealthCheck;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.health.HealthResult;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole library side against a real HikariCP 4 and H2, without weaving: each pool gets its
 * factory exactly as the woven {@code setMetricsTrackerFactory} advice would hand it over.
 */
class HikariBridgeTest {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final HealthRegistry health = new HealthRegistry();
  private final TrackedPools pools = new TrackedPools(new PoolMetrics(registry), health, System::nanoTime);
  private final TrackerFactories hook = new TrackerFactories(pools, HikariBridgeTest.class.getClassLoader());
  private final List<HikariDataSource> opened = new ArrayList<>();

  HikariBridgeTest() {
    new PoolGauges(pools).register(registry);
  }

  @AfterEach
  void closeAll() {
    for (HikariDataSource ds : opened) {
      ds.close();
    }
  }

  private HikariDataSource open(HikariConfig config) {
    HikariDataSource ds = new HikariDataSource(config);
    opened.add(ds);
    HikariPool pool = (HikariPool) ds.getHikariPoolMXBean();
    // What the advice does: the pool's factory (the configured one, or null) is swapped for ours.
    pool.setMetricsTrackerFactory((MetricsTrackerFactory) hook.trackerFactory(pool, config.getMetricsTrackerFactory()));
    return ds;
  }

  private static HikariConfig config(String db, int max) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1");
    config.setMaximumPoolSize(max);
    config.setMinimumIdle(max);
    return config;
  }

  private Double sample(String name, String pool, String... extra) {
    String[] names = new String[1 + extra.length / 2];
    String[] values = new String[names.length];
    names[0] = PoolMetrics.POOL_LABEL;
    values[0] = pool;
    for (int i = 0; i < extra.length; i += 2) {
      names[1 + i / 2] = extra[i];
      values[1 + i / 2] = extra[i + 1];
    }
    return registry.getSampleValue(name, names, values);
  }

  private HealthCheck check(String name) {
    for (HealthCheck check : health.checks()) {
      if (check.name().equals("hikari:" + name)) {
        return check;
      }
    }
    return null;
  }

  @Test
  void gaugesMatchThePoolsOwnMxBeanAndCallbacksAreRecorded() throws Exception {
    HikariDataSource ds = open(config("unit_gauges", 4));
    awaitTotal(ds, 4);
    List<Connection> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(ds.getConnection());
    }
    assertEquals(ds.getHikariPoolMXBean().getActiveConnections(), sample("db_client_connection_count", "unit_gauges", "db_client_connection_state", "used"), 0);
    assertEquals(3.0, sample("db_client_connection_count", "unit_gauges", "db_client_connection_state", "used"), 0);
    assertEquals(ds.getHikariPoolMXBean().getIdleConnections(), sample("db_client_connection_count", "unit_gauges", "db_client_connection_state", "idle"), 0);
    assertEquals(4.0, sample("db_client_connection_max", "unit_gauges"), 0);
    assertEquals(4.0, sample("db_client_connection_idle_min", "unit_gauges"), 0);
    assertEquals(0.0, sample("db_client_connection_pending_requests", "unit_gauges"), 0);
    for (Connection c : held) {
      c.close();
    }
    assertEquals(3.0, sample("db_client_connection_wait_time_seconds_count", "unit_gauges"), 0);
    assertEquals(3.0, sample("db_client_connection_use_time_seconds_count", "unit_gauges"), 0);
    assertEquals(0.0, sample("db_client_connection_timeouts_total", "unit_gauges"), 0);
    assertEquals(0.0, sample("db_client_connection_count", "unit_gauges", "db_client_connection_state", "used"), 0);

    HealthResult result = check("unit_gauges").check();
    assertTrue(result.isUp());
    assertEquals(0, result.details().get("active"));
    assertEquals(4, result.details().get("idle"));
    assertEquals(0, result.details().get("pending"));
    assertEquals(4, result.details().get("max"));
  }

  @Test
  void theApplicationsFactoryGetsEveryCallback() throws Exception {
    CountingFactory app = new CountingFactory();
    HikariConfig config = config("unit_chain", 2);
    config.setPoolName("chained");
    config.setMetricsTrackerFactory(app);
    HikariDataSource ds = open(config);
    awaitTotal(ds, 2);
    for (int i = 0; i < 5; i++) {
      ds.getConnection().close();
    }
    assertEquals("chained", app.poolName);
    // Hikari built the application's tracker twice: at pool start, and when our factory was set.
    assertEquals(5, app.acquired.get());
    assertEquals(5, app.used.get());
    assertEquals(5.0, sample("db_client_connection_wait_time_seconds_count", "chained"), 0);
    ds.close();
    assertEquals(1, app.closed.get(), "the application's tracker is closed with the pool");
  }

  @Test
  void timeoutsAreCountedAndExhaustionTurnsReadinessDownUntilRecovery() throws Exception {
    HikariConfig config = config("unit_exhausted", 1);
    config.setConnectionTimeout(250);
    HikariDataSource ds = open(config);
    Connection holder = ds.getConnection();
    assertThrows(SQLException.class, ds::getConnection);
    assertEquals(1.0, sample("db_client_connection_timeouts_total", "unit_exhausted"), 0);

    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch started = new CountDownLatch(1);
      Future<?> blocked = waiter.submit(() -> {
        started.countDown();
        try {
          ds.getConnection().close();
        } catch (SQLException expected) {
          // Times out while the holder keeps its connection.
        }
        return null;
      });
      started.await();
      awaitPending(ds);
      HealthResult down = check("unit_exhausted").check();
      assertFalse(down.isUp(), "exhausted: no idle connection, a request waiting, a timeout just now");
      assertTrue(down.reason().contains("exhausted"), down.reason());
      assertEquals(1, down.details().get("active"));
      assertEquals(1, down.details().get("pending"));
      assertEquals(1.0, sample("db_client_connection_pending_requests", "unit_exhausted"), 0);
      blocked.get(5, TimeUnit.SECONDS);
    } finally {
      waiter.shutdownNow();
    }
    holder.close();
    assertTrue(check("unit_exhausted").check().isUp(), "recovered: a connection is idle again");
  }

  @Test
  void twoPoolsAreToldApartAndAClosedPoolLeavesNoTrace() throws Exception {
    HikariDataSource first = open(config("unit_same", 1));
    HikariDataSource second = open(config("unit_same", 2));
    assertEquals(1.0, sample("db_client_connection_max", "unit_same"), 0);
    assertEquals(2.0, sample("db_client_connection_max", "unit_same-2"), 0);
    assertEquals(2, health.checks().size());

    first.close();
    assertNull(sample("db_client_connection_max", "unit_same"));
    assertNull(sample("db_client_connection_wait_time_seconds_count", "unit_same"));
    assertNull(check("unit_same"));
    assertEquals(2.0, sample("db_client_connection_max", "unit_same-2"), 0);

    // The name is free again for the next pool on that database.
    HikariDataSource third = open(config("unit_same", 3));
    assertEquals(3.0, sample("db_client_connection_max", "unit_same"), 0);
    third.close();
    second.close();
    assertTrue(health.checks().isEmpty());
  }

  @Test
  void settingTheFactoryAgainKeepsOnePoolAndNeverWrapsTwice() throws Exception {
    HikariDataSource ds = open(config("unit_again", 1));
    HikariPool pool = (HikariPool) ds.getHikariPoolMXBean();
    Object ours = hook.trackerFactory(pool, null);
    assertSame(ours, hook.trackerFactory(pool, ours));
    pool.setMetricsTrackerFactory((MetricsTrackerFactory) hook.trackerFactory(pool, null));
    assertEquals(1, health.checks().size());
    ds.getConnection().close();
    assertEquals(1.0, sample("db_client_connection_wait_time_seconds_count", "unit_again"), 0);
  }

  @Test
  void theBridgeImplementsTheInterfacesOfAnIsolatedHikariLoader() throws Exception {
    URL[] jars = {
      HikariConfig.class.getProtectionDomain().getCodeSource().getLocation(),
      org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation(),
      org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation()
    };
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader webapp = new URLClassLoader(jars, ClassLoader.getPlatformClassLoader())) {
      Thread.currentThread().setContextClassLoader(webapp);
      Class<?> configClass = webapp.loadClass("com.zaxxer.hikari.HikariConfig");
      assertNotSame(HikariConfig.class, configClass);
      Object config = configClass.getConstructor().newInstance();
      configClass.getMethod("setJdbcUrl", String.class).invoke(config, "jdbc:h2:mem:unit_isolated;DB_CLOSE_DELAY=-1");
      configClass.getMethod("setDriverClassName", String.class).invoke(config, "org.h2.Driver");
      configClass.getMethod("setMaximumPoolSize", int.class).invoke(config, 2);
      Class<?> dsClass = webapp.loadClass("com.zaxxer.hikari.HikariDataSource");
      AutoCloseable ds = (AutoCloseable) dsClass.getConstructor(configClass).newInstance(config);
      try {
        Object pool = dsClass.getMethod("getHikariPoolMXBean").invoke(ds);
        Object factory = hook.trackerFactory(pool, null);
        Class<?> factoryType = webapp.loadClass("com.zaxxer.hikari.metrics.MetricsTrackerFactory");
        assertTrue(factoryType.isInstance(factory), "implements the webapp's MetricsTrackerFactory");
        assertSame(webapp, factory.getClass().getClassLoader().getParent());
        Method set = pool.getClass().getMethod("setMetricsTrackerFactory", factoryType);
        set.invoke(pool, factory);
        try (Connection c = (Connection) dsClass.getMethod("getConnection").invoke(ds)) {
          assertEquals(1.0, sample("db_client_connection_count", "unit_isolated", "db_client_connection_state", "used"), 0);
        }
        assertEquals(1.0, sample("db_client_connection_wait_time_seconds_count", "unit_isolated"), 0);
      } finally {
        ds.close();
      }
      assertNull(check("unit_isolated"));
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  private static void awaitTotal(HikariDataSource ds, int total) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ds.getHikariPoolMXBean().getTotalConnections() < total && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(total, ds.getHikariPoolMXBean().getTotalConnections());
  }

  private static void awaitPending(HikariDataSource ds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ds.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, ds.getHikariPoolMXBean().getThreadsAwaitingConnection());
  }

  /** An application's own tracker factory: counts what it receives. */
  static final class CountingFactory implements MetricsTrackerFactory {
    volatile String poolName;
    final AtomicInteger acquired = new AtomicInteger();
    final AtomicInteger used = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private volatile IMetricsTracker current;

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
      this.poolName = poolName;
      IMetricsTracker tracker = new IMetricsTracker() {
        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
          acquired.incrementAndGet();
        }

        @Override
        public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
          used.incrementAndGet();
        }

        @Override
        public void close() {
          if (current == this) {
            closed.incrementAndGet();
          }
        }
      };
      current = tracker;
      return tracker;
    }
  }
}
