package io.vigil.it.hikari;

import io.vigil.it.harness.Jdk;
import io.vigil.it.harness.PostgresServer;

/** HikariCP 4.0.3 on a real PostgreSQL, on JDK 17. */
class Hikari4PostgresIT extends HikariScenarios {
  @Override
  Jdk jdk() {
    return Jdk.JDK17;
  }

  @Override
  boolean hikari4() {
    return true;
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
