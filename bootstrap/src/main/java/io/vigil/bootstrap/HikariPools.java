package io.vigil.bootstrap;

/**
 * The seam between HikariCP's classes and the agent. The advice woven into {@code
 * com.zaxxer.hikari.pool.HikariPool#setMetricsTrackerFactory} asks {@link #trackerFactory} for the
 * factory to install instead of the one the pool was given; the agent answers with a chaining
 * factory (built in the pool's own class-loader graph, so it implements the pool's Hikari
 * interfaces) that keeps calling the application's factory and also reports to the agent through
 * {@link Listener}.
 *
 * <p>Lives on the bootstrap class path so that woven code in any class loader, and the helpers the
 * agent defines next to the pool, can call it. JDK types only; it never throws.
 */
public final class HikariPools {

  /** The agent side of {@link #trackerFactory}. Must be thread-safe. */
  public interface Hook {
    /**
     * @param pool the {@code HikariPool} being configured
     * @param appFactory the {@code MetricsTrackerFactory} the pool was given, or null
     * @return the factory to install: a {@code MetricsTrackerFactory} of the pool's loader
     */
    Object trackerFactory(Object pool, Object appFactory);
  }

  /**
   * The agent's view of one pool, implemented by a helper next to the pool. Reads are live (no
   * caching), cheap, and never block on the pool.
   */
  public interface PoolView {
    /** The pool itself, for identity only. */
    Object pool();

    /** The pool name from its configuration (generated {@code HikariPool-N} when none was set). */
    String poolName();

    /** The JDBC URL, or null when the pool is configured with a {@code DataSource}. */
    String jdbcUrl();

    /** The {@code databaseName} data source property, or null. */
    String databaseName();

    int activeConnections();

    int idleConnections();

    int totalConnections();

    int pendingThreads();

    int maxConnections();

    int minIdle();

    long connectionTimeoutMillis();

    /** {@link #STATE_NORMAL}, {@link #STATE_SUSPENDED} or {@link #STATE_SHUTDOWN}. */
    int state();
  }

  public static final int STATE_NORMAL = 0;
  public static final int STATE_SUSPENDED = 1;
  public static final int STATE_SHUTDOWN = 2;

  /** Where a pool's tracker reports. Implementations are on the pool's hot path: lock-free, quick. */
  public interface Listener {
    void connectionCreated(long millis);

    void connectionAcquired(long nanos);

    void connectionUsed(long millis);

    void connectionTimedOut();

    /** The pool shut down. */
    void closed();
  }

  /** Called by the chaining factory each time the pool builds a tracker. */
  public interface Registrar {
    /** @return the listener for this pool, or null to report nothing */
    Listener trackerCreated(PoolView view);
  }

  private static final Hook PASS_THROUGH =
      new Hook() {
        @Override
        public Object trackerFactory(Object pool, Object appFactory) {
          return appFactory;
        }
      };

  private static volatile Hook hook = PASS_THROUGH;

  private HikariPools() {}

  /** Called by the agent at start. */
  public static void install(Hook newHook) {
    hook = newHook == null ? PASS_THROUGH : newHook;
  }

  /**
   * Called by woven code in {@code HikariPool}. Answers {@code appFactory} itself when the agent
   * has nothing to add or anything goes wrong, so the pool always gets a usable factory.
   */
  public static Object trackerFactory(Object pool, Object appFactory) {
    try {
      Object factory = hook.trackerFactory(pool, appFactory);
      return factory == null ? appFactory : factory;
    } catch (Throwable t) {
      AdviceErrors.record(t, "hikari");
      return appFactory;
    }
  }
}
