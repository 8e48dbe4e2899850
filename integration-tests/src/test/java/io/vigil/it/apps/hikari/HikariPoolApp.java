package io.vigil.it.apps.hikari;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application with HikariCP pools that a test drives over HTTP on the port given as the first
 * argument (the agent's port is another). Uses only HikariCP API that 4.x and 6.x share, so the
 * same class runs on either jar. Every answer is {@code key=value} lines.
 *
 * <ul>
 *   <li>{@code /open?id=&url=&user=&password=&max=&minIdle=&timeoutMs=&poolName=&appFactory=true}
 *   <li>{@code /hold?id=&n=} borrows n connections and keeps them; {@code /release?id=} returns them
 *   <li>{@code /borrow?id=&n=} borrows, runs {@code SELECT 1} and returns, n times
 *   <li>{@code /slow?id=&threads=&holdMs=} threads that keep borrowing and holding; {@code /stopSlow?id=}
 *   <li>{@code /stats?id=} the pool's own {@code HikariPoolMXBean} numbers and configuration
 *   <li>{@code /tracker?id=} what the application's own {@code MetricsTrackerFactory} received
 *   <li>{@code /close?id=}, answering what the application's tracker received, when it has one
 * </ul>
 */
public final class HikariPoolApp {

  private final Map<String, Pool> pools = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    HikariPoolApp app = new HikariPoolApp();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext("/", app::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    System.out.println("hikari-app ready");
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
    Map<String, Object> out = new LinkedHashMap<>();
    int status = 200;
    try {
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/open" -> open(q);
        case "/hold" -> pool(q).hold(Integer.parseInt(q.get("n")));
        case "/release" -> pool(q).release();
        case "/borrow" -> pool(q).borrow(Integer.parseInt(q.get("n")));
        case "/slow" -> pool(q).slow(Integer.parseInt(q.get("threads")), Long.parseLong(q.get("holdMs")));
        case "/stopSlow" -> pool(q).stopSlow();
        case "/stats" -> pool(q).stats(out);
        case "/tracker" -> pool(q).tracker(out);
        case "/close" -> {
          Pool closed = pools.remove(q.get("id"));
          closed.close();
          if (closed.factory != null) {
            closed.tracker(out);
          }
        }
        default -> throw new IllegalArgumentException("unknown command " + path);
      }
      out.putIfAbsent("ok", true);
    } catch (Exception e) {
      status = 500;
      out.put("error", e.toString());
    }
    StringBuilder body = new StringBuilder();
    out.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  private void open(Map<String, String> q) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(q.get("url"));
    if (q.containsKey("user")) {
      config.setUsername(q.get("user"));
      config.setPassword(q.get("password"));
    }
    int max = Integer.parseInt(q.getOrDefault("max", "5"));
    config.setMaximumPoolSize(max);
    config.setMinimumIdle(Integer.parseInt(q.getOrDefault("minIdle", String.valueOf(max))));
    config.setConnectionTimeout(Long.parseLong(q.getOrDefault("timeoutMs", "5000")));
    if (q.containsKey("poolName")) {
      config.setPoolName(q.get("poolName"));
    }
    CountingTrackerFactory factory = null;
    if (Boolean.parseBoolean(q.get("appFactory"))) {
      factory = new CountingTrackerFactory();
      config.setMetricsTrackerFactory(factory);
    }
    pools.put(q.get("id"), new Pool(new HikariDataSource(config), factory));
  }

  private Pool pool(Map<String, String> q) {
    Pool pool = pools.get(q.get("id"));
    if (pool == null) {
      throw new IllegalArgumentException("no pool " + q.get("id"));
    }
    return pool;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static final class Pool {
    final HikariDataSource ds;
    final CountingTrackerFactory factory;
    final List<Connection> held = new ArrayList<>();
    final List<Thread> slow = new ArrayList<>();
    final AtomicBoolean slowRunning = new AtomicBoolean();
    final AtomicLong slowTimeouts = new AtomicLong();

    Pool(HikariDataSource ds, CountingTrackerFactory factory) {
      this.ds = ds;
      this.factory = factory;
    }

    synchronized void hold(int n) throws SQLException {
      for (int i = 0; i < n; i++) {
        held.add(ds.getConnection());
      }
    }

    synchronized void release() throws SQLException {
      for (Connection c : held) {
        c.close();
      }
      held.clear();
    }

    void borrow(int n) throws SQLException {
      for (int i = 0; i < n; i++) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
          rs.next();
        }
      }
    }

    synchronized void slow(int threads, long holdMs) {
      slowRunning.set(true);
      for (int i = 0; i < threads; i++) {
        Thread t = new Thread(() -> {
          while (slowRunning.get()) {
            try (Connection c = ds.getConnection()) {
              Thread.sleep(holdMs);
            } catch (java.sql.SQLTransientConnectionException timedOut) {
              // HikariCP's "connection is not available, request timed out"; an acquisition cut
              // short by stopSlow()'s interrupt is not a timeout and HikariCP does not count it.
              slowTimeouts.incrementAndGet();
            } catch (SQLException interruptedWhileWaiting) {
              return;
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "slow-holder-" + i);
        t.setDaemon(true);
        t.start();
        slow.add(t);
      }
    }

    synchronized void stopSlow() throws InterruptedException {
      slowRunning.set(false);
      for (Thread t : slow) {
        t.interrupt();
        t.join(10_000);
      }
      slow.clear();
    }

    void stats(Map<String, Object> out) {
      HikariPoolMXBean mx = ds.getHikariPoolMXBean();
      out.put("active", mx.getActiveConnections());
      out.put("idle", mx.getIdleConnections());
      out.put("total", mx.getTotalConnections());
      out.put("pending", mx.getThreadsAwaitingConnection());
      out.put("max", ds.getMaximumPoolSize());
      out.put("minIdle", ds.getMinimumIdle());
      out.put("poolName", ds.getPoolName());
      out.put("slowTimeouts", slowTimeouts.get());
    }

    void tracker(Map<String, Object> out) {
      out.put("trackers", factory.trackers.get());
      out.put("poolName", factory.poolName);
      out.put("created", factory.created.get());
      out.put("acquired", factory.acquired.get());
      out.put("used", factory.used.get());
      out.put("timeouts", factory.timeouts.get());
      out.put("closed", factory.closed.get());
    }

    void close() throws Exception {
      stopSlow();
      release();
      ds.close();
    }
  }

  /** The application's own metrics: counts every callback HikariCP makes. */
  static final class CountingTrackerFactory implements MetricsTrackerFactory {
    final AtomicLong trackers = new AtomicLong();
    final AtomicLong created = new AtomicLong();
    final AtomicLong acquired = new AtomicLong();
    final AtomicLong used = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong closed = new AtomicLong();
    volatile String poolName;

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
      this.poolName = poolName;
      trackers.incrementAndGet();
      return new IMetricsTracker() {
        @Override
        public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
          created.incrementAndGet();
        }

        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
          acquired.incrementAndGet();
        }

        @Override
        public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
          used.incrementAndGet();
        }

        @Override
        public void recordConnectionTimeout() {
          timeouts.incrementAndGet();
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }
  }
}
