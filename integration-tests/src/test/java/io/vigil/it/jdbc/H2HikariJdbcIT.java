package io.vigil.it.jdbc;

/**
 * H2 through HikariCP 6: the pool's proxy statements and connections wrap the driver's, both are
 * woven, and each execution must still be counted once.
 */
class H2HikariJdbcIT extends JdbcScenarios {
  @Override
  Target target() {
    return new Target("hikari", "jdbc:h2:mem:pooled;DB_CLOSE_DELAY=-1", "sa", "", "h2database", "pooled", null, null,
        "SELECT VIGIL_SLEEP(?)");
  }
}
