package io.vigil.benchmarks.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import com.zaxxer.hikari.pool.HikariPool;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.AgentContext;
import io.vigil.api.config.VigilConfig;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.agent.trace.AgentTracer;
import io.vigil.bootstrap.HikariPools;
import io.vigil.hikari.HikariInstrumentationModule;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent adds to each HikariCP metrics callback: the tracker the pool gets from the agent's
 * factory (the chaining tracker defined next to the pool's HikariCP, the application's tracker
 * behind it a no-op) and the pool's listener behind it (histogram children resolved once, the
 * exhaustion detector).
 *
 * <p>The pool is a real HikariCP 4 pool over a data source that is never asked for a connection
 * (minimum idle 0); its factory comes from {@link HikariPools#trackerFactory}, as the woven {@code
 * setMetricsTrackerFactory} hands it over, and the tracker from that factory, as the pool creates
 * it. The callbacks are called directly with the values HikariCP passes.
 *
 * <p>{@code insideSpan}: whether a sampled span is current on the calling thread, as it is when a
 * traced request borrows a connection (simpleclient's exemplar sampler looks for one).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HikariTrackerBenchmark {

  @Param({"false", "true"})
  public boolean insideSpan;

  private HikariPool pool;
  private IMetricsTracker tracker;
  private Span span;
  private io.opentelemetry.context.Scope scope;
  private long value;

  @Setup(Level.Trial)
  public void setUp() {
    CollectorRegistry registry = new CollectorRegistry();
    AgentMetrics agentMetrics = new AgentMetrics(registry, "bench", "bench", Arrays.asList("hikari"));
    new HikariInstrumentationModule().install(new AgentContext(VigilConfig.builder().build(), registry,
        agentMetrics, TracerProvider.noop().get("io.vigil"), W3CTraceContextPropagator.getInstance(),
        new HealthRegistry()));

    HikariConfig config = new HikariConfig();
    config.setPoolName("bench");
    config.setDataSource(new UnusedDataSource());
    config.setMinimumIdle(0);
    config.setMaximumPoolSize(10);
    config.setInitializationFailTimeout(-1);
    config.validate();
    pool = new HikariPool(config);
    MetricsTrackerFactory factory = (MetricsTrackerFactory) HikariPools.trackerFactory(pool, null);
    tracker = factory.create(config.getPoolName(), new PoolStats(1000) {
      @Override
      protected void update() {}
    });
    if (!tracker.getClass().getName().equals("io.vigil.hikari.bridge.ChainingTracker")) {
      throw new IllegalStateException("not the agent's tracker: " + tracker.getClass());
    }
    if (insideSpan) {
      span = new AgentTracer(Resource.getDefault(), "bench", Sampler.alwaysOn(), ended -> {}).spanBuilder("GET /owners/{ownerId}").startSpan();
      // Thread-scoped state: JMH runs this on the thread that runs the benchmark.
      scope = span.makeCurrent();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    if (scope != null) {
      scope.close();
      span.end();
    }
    tracker.close();
    pool.shutdown();
    HikariPools.install(null);
  }

  /** Per borrow: a connection handed out after a short wait (20-83 µs). */
  @Benchmark
  public void connectionAcquired() {
    tracker.recordConnectionAcquiredNanos(20_000 + (value++ & 0xFFFF));
  }

  /** Per return: how long the application held it, in milliseconds (0-15). */
  @Benchmark
  public void connectionUsed() {
    tracker.recordConnectionUsageMillis(value++ & 0xF);
  }

  /** Per physical connection opened, in milliseconds (2-17). */
  @Benchmark
  public void connectionCreated() {
    tracker.recordConnectionCreatedMillis(2 + (value++ & 0xF));
  }

  /** Per borrow that gave up after the connection timeout. */
  @Benchmark
  public void connectionTimeout() {
    tracker.recordConnectionTimeout();
  }

  /** Never asked for a connection: the pool keeps no minimum and the benchmark borrows none. */
  private static final class UnusedDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      throw new SQLException("the benchmark pool opens no connection");
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
