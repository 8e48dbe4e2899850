package io.vigil.it.hikari;

import io.vigil.it.harness.Jdk;
import io.vigil.it.harness.PostgresServer;

/** HikariCP 6.3.0 on a real PostgreSQL, on JDK 25. */
class Hikari6PostgresIT extends HikariScenarios {
  @Override
  Jdk jdk() {
    return Jdk.JDK25;
  }

  @Override
  boolean hikari4() {
    return false;
  }

  @Override
  String databaseUrl(String database) {
    PostgresServer server = PostgresServer.shared();
    server.createDatabase(database);
    return server.jdbcUrl(database);
  }

  @Override
  String credentials() {
    PostgresServer server = PostgresServer.shared();
    return "&user=" + enc(server.user()) + "&password=" + enc(server.password());
  }
}
