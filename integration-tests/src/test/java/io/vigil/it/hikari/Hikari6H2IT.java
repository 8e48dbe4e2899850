package io.vigil.it.hikari;

import io.vigil.it.harness.Jdk;

/** HikariCP 6.3.0 on H2, on JDK 17. */
class Hikari6H2IT extends HikariScenarios {
  @Override
  Jdk jdk() {
    return Jdk.JDK17;
  }

  @Override
  boolean hikari4() {
    return false;
  }

  @Override
  String databaseUrl(String database) {
    return "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1";
  }

  @Override
  String credentials() {
    return "";
  }
}
