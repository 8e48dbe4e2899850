package io.vigil.it.jdbc;

import io.vigil.it.harness.PostgresServer;

/** A real PostgreSQL server through HikariCP 6: proxies over the driver, one observation each. */
class PostgresHikariJdbcIT extends JdbcScenarios {
  @Override
  Target target() {
    PostgresServer pg = PostgresServer.shared();
    String db = pg.createDatabase("vigil_jdbc_hikari");
    return new Target("hikari", pg.jdbcUrl(db), pg.user(), pg.password(), "postgresql", db, "127.0.0.1",
        (long) pg.port(), "SELECT pg_sleep(?)");
  }
}
