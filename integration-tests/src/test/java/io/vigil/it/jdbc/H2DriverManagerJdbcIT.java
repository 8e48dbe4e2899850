package io.vigil.it.jdbc;

/** H2 2.3 in memory, a new connection from {@code DriverManager} per request. */
class H2DriverManagerJdbcIT extends JdbcScenarios {
  @Override
  Target target() {
    return new Target("dm", "jdbc:h2:mem:workload;DB_CLOSE_DELAY=-1", "sa", "", "h2database", "workload", null, null,
        "SELECT VIGIL_SLEEP(?)");
  }
}
