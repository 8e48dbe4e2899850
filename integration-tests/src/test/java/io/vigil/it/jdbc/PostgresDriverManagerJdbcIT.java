package io.vigil.it.jdbc;

import io.vigil.it.harness.PostgresServer;

/** A real PostgreSQL server (Debian's package) with the 42.7 driver, connections from {@code DriverManager}. */
class PostgresDriverManagerJdbcIT extends JdbcScenarios {
  @Override
  Target target() {
    PostgresServer pg = PostgresServer.shared();
    String db = pg.createDatabase("vigil_jdbc_dm");
    return new Target("dm", pg.jdbcUrl(db), pg.user(), pg.password(), "postgresql", db, "127.0.0.1",
        (long) pg.port(), "SELECT pg_sleep(?)");
  }
}
