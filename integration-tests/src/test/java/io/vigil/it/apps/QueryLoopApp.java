package io.vigil.it.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Runs a query every 20 ms against an in-memory H2 database and reports how many it has run, so
 * a test can tell whether the application is held up by anything the agent does.
 */
public final class QueryLoopApp {

  private QueryLoopApp() {}

  public static void main(String[] args) throws Exception {
    long done = 0;
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:loop;DB_CLOSE_DELAY=-1", "sa", "")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE ticks (id INT PRIMARY KEY)");
      }
      System.out.println("query loop started");
      while (true) {
        try (Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM ticks")) {
          rs.next();
        }
        done++;
        if (done % 25 == 0) {
          System.out.println("queries done: " + done);
        }
        Thread.sleep(20);
      }
    }
  }
}
