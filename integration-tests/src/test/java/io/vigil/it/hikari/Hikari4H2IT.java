package io.vigil.it.hikari;

import io.vigil.it.harness.Jdk;

/** HikariCP 4.0.3 on H2, on JDK 25. */
class Hikari4H2IT extends HikariScenarios {
  @Override
  Jdk jdk() {
    return Jdk.JDK25;
  }

  @Override
  boolean hikari4() {
    return true;
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
