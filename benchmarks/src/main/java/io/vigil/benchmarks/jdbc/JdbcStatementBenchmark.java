package io.vigil.benchmarks.jdbc;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.client.CollectorRegistry;
import io.vigil.api.metrics.AgentMetrics;
import io.vigil.agent.trace.AgentTracer;
import io.vigil.bootstrap.JdbcTelemetry;
import io.vigil.jdbc.telemetry.JdbcTelemetryHandler;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
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
 * What the agent adds to one JDBC execution: the bootstrap facade's call-depth guard and the
 * handler's work between the enter and exit advice (statement/connection lookups, sanitized-SQL
 * cache, histogram child, span), without the database. Statements and connections are JDK proxies
 * answering {@code getConnection()} / {@code getMetaData().getURL()}, so their dispatch is included.
 *
 * <ul>
 *   <li>{@code prepared}: a prepared statement executed again (its SQL remembered at prepare time);
 *   <li>{@code plainCacheHit}: {@code execute(sql)} with SQL already in the sanitized cache;
 *   <li>{@code plainCacheMiss}: {@code execute(sql)} with SQL never seen (inlined values), so each
 *       call sanitizes;
 *   <li>{@code nestedProxy}: a pool proxy around the driver's statement, both woven: the inner call
 *       only passes the depth guard;
 *   <li>{@code prepareExecuteClose}: a statement prepared, executed once and closed, as a page does
 *       per request: the prepare and close bookkeeping included (a new {@code Object} of 16 bytes
 *       stands for the driver's statement).
 *   <li>{@code borrowedPrepareExecuteClose}: the same on a connection borrowed from a pool, a new
 *       proxy per borrow that unwraps to the physical connection, as HikariCP hands out (the JDK
 *       proxy's creation is in the figure, the same before and after any change to the handler).
 * </ul>
 *
 * <p>Run with {@code java -jar benchmarks/target/benchmarks.jar JdbcStatementBenchmark -prof gc}
 * for the allocation per execution; {@code tracing=off} is {@code traces.enabled=false}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdbcStatementBenchmark {

  private static final String SQL = "SELECT o.id, o.total FROM orders o WHERE o.customer_id = 42 AND o.status = 'open'";

  @Param({"off", "on"})
  public String tracing;

  private Statement statement;
  private PreparedStatement prepared;
  private long counter;
  private Connection connection;
  private InvocationHandler borrowed;

  @Setup(Level.Trial)
  public void setUp() {
    Tracer tracer;
    if (tracing.equals("on")) {
      // Always sampled, recorded and ended: the agent's span cost is in, the exporter's is not.
      tracer = new AgentTracer(Resource.getDefault(), "bench", Sampler.alwaysOn(), span -> {});
    } else {
      tracer = TracerProvider.noop().get("bench");
    }
    CollectorRegistry registry = new CollectorRegistry();
    AgentMetrics agentMetrics = new AgentMetrics(registry, "bench", "bench", Collections.singletonList("jdbc"));
    JdbcTelemetryHandler handler = new JdbcTelemetryHandler(registry, agentMetrics, tracer, Long.MAX_VALUE);
    JdbcTelemetry.install(handler);
    connection = connection("jdbc:postgresql://db.example:5432/shop");
    statement = (Statement) statement(Statement.class, connection);
    prepared = (PreparedStatement) statement(PreparedStatement.class, connection);
    Connection physical = connection;
    borrowed = (proxy, method, args) -> method.getName().equals("unwrap") ? physical : null;
    JdbcTelemetry.prepared(connection, prepared, "UPDATE orders SET status = ? WHERE id = ?");
    JdbcTelemetry.end(JdbcTelemetry.start(statement, SQL), null);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    JdbcTelemetry.install(null);
  }

  @Benchmark
  public void prepared() {
    JdbcTelemetry.end(JdbcTelemetry.startPrepared(prepared), null);
  }

  @Benchmark
  public void plainCacheHit() {
    JdbcTelemetry.end(JdbcTelemetry.start(statement, SQL), null);
  }

  @Benchmark
  public void plainCacheMiss() {
    // A new string each time, as an application that inlines values builds them.
    String sql = "SELECT o.id FROM orders o WHERE o.customer_id = " + (counter++);
    JdbcTelemetry.end(JdbcTelemetry.start(statement, sql), null);
  }

  @Benchmark
  public void nestedProxy() {
    Object outer = JdbcTelemetry.startPrepared(prepared);
    JdbcTelemetry.end(JdbcTelemetry.startPrepared(prepared), null);
    JdbcTelemetry.end(outer, null);
  }

  @Benchmark
  public void prepareExecuteClose() {
    Object statement = new Object();
    JdbcTelemetry.prepared(connection, statement, "UPDATE orders SET status = ? WHERE id = ?");
    JdbcTelemetry.end(JdbcTelemetry.startPrepared(statement), null);
    JdbcTelemetry.closed(statement);
  }

  @Benchmark
  public void borrowedPrepareExecuteClose() {
    Connection borrow = (Connection) Proxy.newProxyInstance(
        JdbcStatementBenchmark.class.getClassLoader(), new Class<?>[] {Connection.class}, borrowed);
    Object statement = new Object();
    JdbcTelemetry.prepared(borrow, statement, "UPDATE orders SET status = ? WHERE id = ?");
    JdbcTelemetry.end(JdbcTelemetry.startPrepared(statement), null);
    JdbcTelemetry.closed(statement);
  }

  private static Connection connection(String url) {
    DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(
        JdbcStatementBenchmark.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
        (proxy, method, args) -> method.getName().equals("getURL") ? url : null);
    return (Connection) Proxy.newProxyInstance(
        JdbcStatementBenchmark.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getMetaData":
              return metaData;
            case "unwrap":
              return proxy;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              return null;
          }
        });
  }

  private static Object statement(Class<?> type, Connection connection) {
    return Proxy.newProxyInstance(JdbcStatementBenchmark.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getConnection":
              return connection;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              return null;
          }
        });
  }
}
