package io.vigil.it.apps.jdbc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * An application that runs known JDBC workloads when a test asks over HTTP, so that the test can
 * expect exact counts. Arguments: {@code <httpPort> <dm|hikari> <jdbcUrl> <user> <password>}.
 * Every workload takes the table it works on ({@code table=}), so tests sharing one JVM never count
 * each other's statements. Answers are {@code key=value} lines; the application never prints or
 * answers exception messages (they quote SQL and values), only exception class names.
 *
 * <ul>
 *   <li>{@code /setup}: creates the table ({@code id INT PRIMARY KEY, name VARCHAR(100)})
 *   <li>{@code /plain}: plain statements: 3 INSERT, 2 SELECT, 1 UPDATE, 1 DELETE, one INSERT with
 *       the secret literal
 *   <li>{@code /prepared?n=}: one prepared INSERT executed n times (the first binds the secret), then
 *       one prepared SELECT executed n times
 *   <li>{@code /batch}: a prepared batch of 5 INSERTs and a plain batch of 3 INSERTs (one with the
 *       secret literal): one executeBatch each
 *   <li>{@code /error}: a SELECT from a missing table (with the secret literal) and a prepared
 *       SELECT binding the secret value where a number belongs; answers their exception classes
 *   <li>{@code /slow}: one statement that sleeps about 80 ms in the database
 * </ul>
 */
public final class JdbcWorkloadApp {

  public static final String SECRET_LITERAL = "s3cr3t-literal";
  public static final String SECRET_BIND = "s3cr3t-bind-value";

  private final String mode;
  private final String url;
  private final String user;
  private final String password;
  private HikariDataSource pool;

  private JdbcWorkloadApp(String mode, String url, String user, String password) {
    this.mode = mode;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  public static void main(String[] args) throws Exception {
    JdbcWorkloadApp app = new JdbcWorkloadApp(args[1], args[2], args[3], args[4]);
    if (app.mode.equals("hikari")) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(app.url);
      config.setUsername(app.user);
      config.setPassword(app.password);
      config.setMaximumPoolSize(3);
      config.setPoolName("workload");
      app.pool = new HikariDataSource(config);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext("/", app::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.out.println("jdbc-app ready");
  }

  /** H2's sleep, bound with {@code CREATE ALIAS}. */
  public static int sleep(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }

  private Connection connection() throws SQLException {
    return pool != null ? pool.getConnection() : DriverManager.getConnection(url, user, password);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
    Map<String, Object> out = new LinkedHashMap<>();
    int status = 200;
    try (Connection c = connection()) {
      String table = q.get("table");
      switch (exchange.getRequestURI().getPath()) {
        case "/setup" -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(100))");
          }
        }
        case "/plain" -> plain(c, table);
        case "/prepared" -> prepared(c, table, Integer.parseInt(q.get("n")));
        case "/batch" -> batch(c, table);
        case "/error" -> error(c, table, out);
        case "/slow" -> slow(c);
        default -> throw new IllegalArgumentException("unknown path");
      }
      out.put("ok", true);
    } catch (Exception e) {
      status = 500;
      out.put("error", e.getClass().getName());
    }
    StringBuilder body = new StringBuilder();
    out.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static void plain(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO " + table + " (id, name) VALUES (1, 'alice')");
      s.executeUpdate("INSERT INTO " + table + " (id, name) VALUES (2, '" + SECRET_LITERAL + "')");
      s.execute("INSERT INTO " + table + " (id, name) VALUES (3, 'carol')");
      try (ResultSet rs = s.executeQuery("SELECT name FROM " + table + " WHERE id = 1")) {
        rs.next();
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE name <> 'x'")) {
        rs.next();
      }
      s.executeUpdate("UPDATE " + table + " SET name = 'bob' WHERE id = 3");
      s.execute("DELETE FROM " + table + " WHERE id = 1");
    }
  }

  private static void prepared(Connection c, String table, int n) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, name) VALUES (?, ?)")) {
      for (int i = 0; i < n; i++) {
        ps.setInt(1, 1000 + i);
        ps.setString(2, i == 0 ? SECRET_BIND : "name-" + i);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + table + " WHERE id = ?")) {
      for (int i = 0; i < n; i++) {
        ps.setInt(1, 1000 + i);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
        }
      }
    }
  }

  private static void batch(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, name) VALUES (?, ?)")) {
      for (int i = 0; i < 5; i++) {
        ps.setInt(1, 2000 + i);
        ps.setString(2, i == 0 ? SECRET_BIND : "batch-" + i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (Statement s = c.createStatement()) {
      s.addBatch("INSERT INTO " + table + " (id, name) VALUES (3001, 'x')");
      s.addBatch("INSERT INTO " + table + " (id, name) VALUES (3002, '" + SECRET_LITERAL + "')");
      s.addBatch("INSERT INTO " + table + " (id, name) VALUES (3003, 'z')");
      s.executeBatch();
    }
  }

  private static void error(Connection c, String table, Map<String, Object> out) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT * FROM no_such_table_" + table + " WHERE name = '" + SECRET_LITERAL + "'").close();
      out.put("missingTable", "none");
    } catch (SQLException e) {
      out.put("missingTable", e.getClass().getName());
    }
    if (!c.getAutoCommit()) {
      c.rollback();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + table + " WHERE id = CAST(? AS INT)")) {
      ps.setString(1, SECRET_BIND);
      ps.executeQuery().close();
      out.put("badBind", "none");
    } catch (SQLException e) {
      out.put("badBind", e.getClass().getName());
    }
  }

  private void slow(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (url.startsWith("jdbc:postgresql:")) {
        s.executeQuery("SELECT pg_sleep(0.08)").close();
      } else {
        s.execute("CREATE ALIAS IF NOT EXISTS VIGIL_SLEEP FOR '" + JdbcWorkloadApp.class.getName() + ".sleep'");
        s.executeQuery("SELECT VIGIL_SLEEP(80)").close();
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }
}
