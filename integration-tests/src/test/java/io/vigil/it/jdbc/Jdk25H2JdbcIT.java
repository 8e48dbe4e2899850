package io.vigil.it.jdbc;

import io.vigil.it.harness.Jdk;

/** The H2 / HikariCP scenarios with the application on the Temurin 25 JDK. */
class Jdk25H2JdbcIT extends JdbcScenarios {
  @Override
  Target target() {
    return new Target("hikari", "jdbc:h2:mem:jdk25;DB_CLOSE_DELAY=-1", "sa", "", "h2database", "jdk25", null, null,
        "SELECT VIGIL_SLEEP(?)");
  }

  @Override
  Jdk jdk() {
    return Jdk.JDK25;
  }
}
