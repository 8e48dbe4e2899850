package io.vigil.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcUrlParserTest {

  private static DbConnectionInfo info(String system, String namespace, String host, int port) {
    return new DbConnectionInfo(system, namespace, host, port);
  }

  private static void assertParsed(
      String url, String system, String namespace, String host, int port) {
    DbConnectionInfo parsed = JdbcUrlParser.parse(url);
    assertEquals(info(system, namespace, host, port), parsed, url);
    // The span attribute is the same port, boxed once, and absent when the port is unknown.
    assertEquals(port == -1 ? null : Long.valueOf(port), parsed.serverPortAttribute(), url);
  }

  static Stream<Arguments> postgresql() {
    return Stream.of(
        arguments(
            "jdbc:postgresql://db.example.com:5432/shop?ssl=true", "shop", "db.example.com", 5432),
        arguments("jdbc:postgresql://db.example.com/shop", "shop", "db.example.com", 5432),
        arguments("jdbc:postgresql://db.example.com:6543/shop", "shop", "db.example.com", 6543),
        arguments(
            "jdbc:postgresql://h1:5432,h2:5433/shop?targetServerType=primary", "shop", "h1", 5432),
        arguments("jdbc:postgresql://h1,h2:5433/shop", "shop", "h1", 5432),
        arguments("jdbc:postgresql://[::1]:5433/shop", "shop", "::1", 5433),
        arguments("jdbc:postgresql://[fe80::1%25eth0]/shop", "shop", "fe80::1%25eth0", 5432),
        arguments("jdbc:postgresql://10.0.0.7/shop", "shop", "10.0.0.7", 5432),
        arguments("jdbc:postgresql://db.example.com", null, "db.example.com", 5432),
        arguments("jdbc:postgresql://db.example.com/", null, "db.example.com", 5432),
        arguments("jdbc:postgresql:///shop", "shop", "localhost", 5432),
        arguments("jdbc:postgresql:shop", "shop", "localhost", 5432),
        arguments("jdbc:postgresql:shop?user=app", "shop", "localhost", 5432),
        arguments("jdbc:postgresql:/", null, "localhost", 5432),
        arguments("jdbc:postgresql:", null, "localhost", 5432),
        arguments("JDBC:PostgreSQL://Db.Example.com/Shop", "Shop", "Db.Example.com", 5432),
        arguments("  jdbc:postgresql://db/shop  ", "shop", "db", 5432),
        arguments("jdbc:pgsql://db/shop", "shop", "db", 5432));
  }

  @ParameterizedTest
  @MethodSource("postgresql")
  void postgresql(String url, String namespace, String host, int port) {
    assertParsed(url, DbConnectionInfo.POSTGRESQL, namespace, host, port);
  }

  static Stream<Arguments> mysqlFamily() {
    return Stream.of(
        arguments("jdbc:mysql://db.example.com/shop", "mysql", "shop", "db.example.com", 3306),
        arguments(
            "jdbc:mysql://db.example.com:3307/shop?useSSL=false",
            "mysql",
            "shop",
            "db.example.com",
            3307),
        arguments("jdbc:mysql://db.example.com", "mysql", null, "db.example.com", 3306),
        arguments("jdbc:mysql:///shop", "mysql", "shop", "localhost", 3306),
        arguments("jdbc:mysql://h1:3306,h2:3307/shop", "mysql", "shop", "h1", 3306),
        arguments("jdbc:mysql://[h1:3308,h2:3307]/shop", "mysql", "shop", "h1", 3308),
        arguments(
            "jdbc:mysql://address=(protocol=tcp)(host=h1)(port=3309)/shop",
            "mysql",
            "shop",
            "h1",
            3309),
        arguments("jdbc:mysql://(host=h1,port=3310,user=app)/shop", "mysql", "shop", "h1", 3310),
        arguments("jdbc:mysql://address=(host=h1)/shop", "mysql", "shop", "h1", 3306),
        arguments("jdbc:mysql:loadbalance://h1,h2/shop", "mysql", "shop", "h1", 3306),
        arguments("jdbc:mysql:replication://h1:3311,h2/shop", "mysql", "shop", "h1", 3311),
        arguments(
            "jdbc:mysql+srv://_mysql._tcp.example.com/shop",
            "mysql",
            "shop",
            "_mysql._tcp.example.com",
            -1),
        arguments("jdbc:mariadb://db.example.com/shop", "mariadb", "shop", "db.example.com", 3306),
        arguments(
            "jdbc:mariadb://db.example.com:3307/shop?user=x",
            "mariadb",
            "shop",
            "db.example.com",
            3307),
        arguments("jdbc:mariadb:sequential://h1,h2/shop", "mariadb", "shop", "h1", 3306),
        arguments("jdbc:mariadb:replication://h1:3312,h2/shop", "mariadb", "shop", "h1", 3312),
        arguments("jdbc:mariadb:failover://h1/shop", "mariadb", "shop", "h1", 3306));
  }

  @ParameterizedTest
  @MethodSource("mysqlFamily")
  void mysqlAndMariadb(String url, String system, String namespace, String host, int port) {
    assertParsed(url, system, namespace, host, port);
  }

  static Stream<Arguments> h2() {
    return Stream.of(
        arguments("jdbc:h2:mem:testdb", "testdb", null, -1),
        arguments("jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1;MODE=PostgreSQL", "testdb", null, -1),
        arguments("jdbc:h2:mem:", null, null, -1),
        arguments("jdbc:h2:file:/data/x", "/data/x", null, -1),
        arguments("jdbc:h2:file:/data/x;AUTO_SERVER=TRUE", "/data/x", null, -1),
        arguments("jdbc:h2:~/test", "~/test", null, -1),
        arguments("jdbc:h2:./data/app", "./data/app", null, -1),
        arguments("jdbc:h2:split:nio:~/test", "~/test", null, -1),
        arguments("jdbc:h2:C:/data/app", "C:/data/app", null, -1),
        arguments("jdbc:h2:file:C:/data/app", "C:/data/app", null, -1),
        arguments("jdbc:h2:tcp://dbhost:9092/~/test", "~/test", "dbhost", 9092),
        arguments("jdbc:h2:tcp://dbhost/~/test;IFEXISTS=TRUE", "~/test", "dbhost", 9092),
        arguments("jdbc:h2:ssl://dbhost:9101/mem:shared", "shared", "dbhost", 9101),
        arguments("jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'classpath://schema.sql'", "x", null, -1));
  }

  @ParameterizedTest
  @MethodSource("h2")
  void h2(String url, String namespace, String host, int port) {
    assertParsed(url, DbConnectionInfo.H2, namespace, host, port);
  }

  static Stream<Arguments> oracle() {
    return Stream.of(
        arguments("jdbc:oracle:thin:@dbhost:1521:ORCL", "ORCL", "dbhost", 1521),
        arguments("jdbc:oracle:thin:@dbhost:1522:ORCL", "ORCL", "dbhost", 1522),
        arguments(
            "jdbc:oracle:thin:@//dbhost:1521/sales.example.com",
            "sales.example.com",
            "dbhost",
            1521),
        arguments("jdbc:oracle:thin:@//dbhost/sales", "sales", "dbhost", 1521),
        arguments("jdbc:oracle:thin:@dbhost:1523/sales:dedicated/inst1", "sales", "dbhost", 1523),
        arguments("jdbc:oracle:thin:@dbhost", null, "dbhost", 1521),
        arguments("jdbc:oracle:thin:@dbhost:ORCL", "ORCL", "dbhost", 1521),
        arguments(
            "jdbc:oracle:thin:@tcps://dbhost:2484/sales?wallet_location=/w",
            "sales",
            "dbhost",
            2484),
        arguments("jdbc:oracle:thin:@[::1]:1521/sales", "sales", "::1", 1521),
        arguments(
            "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=h1)(PORT=1522))"
                + "(ADDRESS=(PROTOCOL=TCP)(HOST=h2)(PORT=1523)))(CONNECT_DATA=(SERVICE_NAME=s)))",
            "s",
            "h1",
            1522),
        arguments(
            "jdbc:oracle:thin:@(description = (address = (protocol = tcp)(host = h3)(port = 1524))"
                + "(connect_data = (sid = ORCL)))",
            "ORCL",
            "h3",
            1524),
        arguments(
            "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=h4))(CONNECT_DATA=(SERVICE_NAME=s)))",
            "s",
            "h4",
            1521),
        arguments("jdbc:oracle:oci:@dbhost:1521:ORCL", "ORCL", "dbhost", 1521),
        arguments(
            "jdbc:oracle:thin:@ldap://ldap.example.com:389/sales,cn=OracleContext", null, null, -1),
        arguments("jdbc:oracle:kprb:", null, null, -1),
        arguments("jdbc:oracle:thin:", null, null, -1));
  }

  @ParameterizedTest
  @MethodSource("oracle")
  void oracle(String url, String namespace, String host, int port) {
    assertParsed(url, DbConnectionInfo.ORACLE, namespace, host, port);
  }

  static Stream<Arguments> sqlServer() {
    return Stream.of(
        arguments(
            "jdbc:sqlserver://dbhost:1433;databaseName=shop;encrypt=true", "shop", "dbhost", 1433),
        arguments("jdbc:sqlserver://dbhost;databaseName=shop", "shop", "dbhost", 1433),
        arguments("jdbc:sqlserver://dbhost:1533;database=shop", "shop", "dbhost", 1533),
        arguments(
            "jdbc:sqlserver://dbhost\\SQLEXPRESS;database=shop", "SQLEXPRESS|shop", "dbhost", -1),
        arguments(
            "jdbc:sqlserver://dbhost\\SQLEXPRESS:1434;databaseName=shop",
            "SQLEXPRESS|shop",
            "dbhost",
            1434),
        arguments(
            "jdbc:sqlserver://dbhost;instanceName=SQLEXPRESS;databaseName=shop",
            "SQLEXPRESS|shop",
            "dbhost",
            -1),
        arguments(
            "jdbc:sqlserver://;serverName=dbhost;portNumber=1435;databaseName=shop",
            "shop",
            "dbhost",
            1435),
        arguments(
            "jdbc:sqlserver://;serverName=dbhost\\INST;databaseName=shop",
            "INST|shop",
            "dbhost",
            -1),
        arguments("jdbc:sqlserver://dbhost;DATABASENAME=shop", "shop", "dbhost", 1433),
        arguments("jdbc:sqlserver://dbhost", null, "dbhost", 1433),
        arguments("jdbc:sqlserver://dbhost;databaseName={my;db}", "my;db", "dbhost", 1433),
        arguments(
            "jdbc:jtds:sqlserver://dbhost:1433/shop;instance=INST", "INST|shop", "dbhost", 1433),
        arguments("jdbc:jtds:sqlserver://dbhost/shop", "shop", "dbhost", 1433));
  }

  @ParameterizedTest
  @MethodSource("sqlServer")
  void sqlServer(String url, String namespace, String host, int port) {
    assertParsed(url, DbConnectionInfo.SQL_SERVER, namespace, host, port);
  }

  static Stream<Arguments> embeddedAndOthers() {
    return Stream.of(
        arguments("jdbc:hsqldb:mem:x", "hsqldb", "x", null, -1),
        arguments("jdbc:hsqldb:mem:x;shutdown=true", "hsqldb", "x", null, -1),
        arguments("jdbc:hsqldb:file:/data/app", "hsqldb", "/data/app", null, -1),
        arguments("jdbc:hsqldb:res:/db/app", "hsqldb", "/db/app", null, -1),
        arguments("jdbc:hsqldb:hsql://dbhost/app", "hsqldb", "app", "dbhost", 9001),
        arguments(
            "jdbc:hsqldb:hsql://dbhost:9002/app;ifexists=true", "hsqldb", "app", "dbhost", 9002),
        arguments("jdbc:hsqldb:http://dbhost/app", "hsqldb", "app", "dbhost", 80),
        arguments("jdbc:derby:memory:x", "derby", "x", null, -1),
        arguments("jdbc:derby:memory:x;create=true", "derby", "x", null, -1),
        arguments("jdbc:derby:appdb;create=true", "derby", "appdb", null, -1),
        arguments("jdbc:derby:directory:/data/appdb", "derby", "/data/appdb", null, -1),
        arguments("jdbc:derby://dbhost/appdb;create=true", "derby", "appdb", "dbhost", 1527),
        arguments("jdbc:derby://dbhost:1528/appdb", "derby", "appdb", "dbhost", 1528),
        arguments("jdbc:sqlite:/tmp/x.db", "sqlite", "/tmp/x.db", null, -1),
        arguments("jdbc:sqlite:x.db?journal_mode=WAL", "sqlite", "x.db", null, -1),
        arguments("jdbc:sqlite:file:/tmp/x.db?mode=ro", "sqlite", "/tmp/x.db", null, -1),
        arguments("jdbc:sqlite::memory:", "sqlite", null, null, -1),
        arguments("jdbc:sqlite:file::memory:?cache=shared", "sqlite", null, null, -1),
        arguments("jdbc:sqlite:", "sqlite", null, null, -1),
        arguments("jdbc:db2://dbhost:50001/SAMPLE", "ibm.db2", "SAMPLE", "dbhost", 50001),
        arguments(
            "jdbc:db2://dbhost/SAMPLE:currentSchema=APP;", "ibm.db2", "SAMPLE", "dbhost", 50000),
        arguments("jdbc:db2:SAMPLE", "ibm.db2", "SAMPLE", null, -1),
        arguments("jdbc:as400://ibmi.example.com/LIB", "ibm.db2", "LIB", "ibmi.example.com", -1),
        arguments("jdbc:clickhouse://ch:8123/events", "clickhouse", "events", "ch", 8123),
        arguments(
            "jdbc:redshift://cluster.example.com:5439/dev",
            "aws.redshift",
            "dev",
            "cluster.example.com",
            5439),
        arguments("jdbc:sap://hana:30015/?databaseName=HXE", "sap.hana", null, "hana", 30015),
        arguments("jdbc:unknowndb://host:1234/db", "other_sql", "db", "host", 1234),
        arguments("jdbc:unknowndb:whatever", "other_sql", null, null, -1),
        arguments("jdbc:odbc:DSN", "other_sql", null, null, -1));
  }

  @ParameterizedTest
  @MethodSource("embeddedAndOthers")
  void embeddedAndOtherSystems(String url, String system, String namespace, String host, int port) {
    assertParsed(url, system, namespace, host, port);
  }

  static Stream<Arguments> wrappers() {
    return Stream.of(
        arguments("jdbc:p6spy:postgresql://db:5433/shop", "postgresql", "shop", "db", 5433),
        arguments("jdbc:otel:postgresql://db/shop", "postgresql", "shop", "db", 5432),
        arguments("jdbc:otel:p6spy:mysql://db/shop", "mysql", "shop", "db", 3306),
        arguments("jdbc:log4jdbc:mariadb://db/shop", "mariadb", "shop", "db", 3306),
        arguments("jdbc:tracing:h2:mem:test", "h2database", "test", null, -1),
        arguments("jdbc:aws-wrapper:postgresql://db/shop", "postgresql", "shop", "db", 5432),
        arguments("jdbc:P6SPY:oracle:thin:@dbhost:1521:ORCL", "oracle.db", "ORCL", "dbhost", 1521),
        arguments(
            "jdbc:p6spy:sqlserver://dbhost;databaseName=shop",
            "microsoft.sql_server",
            "shop",
            "dbhost",
            1433),
        arguments("jdbc:p6spy:", "other_sql", null, null, -1));
  }

  @ParameterizedTest
  @MethodSource("wrappers")
  void wrappersAreLookedThrough(
      String url, String system, String namespace, String host, int port) {
    assertParsed(url, system, namespace, host, port);
  }

  static Stream<Arguments> garbage() {
    return Stream.of(
        arguments((String) null),
        arguments(""),
        arguments("   "),
        arguments("jdbc"),
        arguments("jdbc:"),
        arguments("postgresql://db/shop"),
        arguments("http://example.com"),
        arguments("jdbc:::::"),
        arguments("\u0000\uffff"));
  }

  @ParameterizedTest
  @MethodSource("garbage")
  void garbageIsOtherSqlWithNothingElse(String url) {
    assertParsed(url, "other_sql", null, null, -1);
  }

  static Stream<Arguments> credentials() {
    return Stream.of(
        arguments(
            "jdbc:postgresql://db/shop?user=bob&password=hunter2",
            "postgresql",
            "shop",
            "db",
            5432),
        arguments(
            "jdbc:postgresql://db/shop?user=bob@corp.com&password=hunter2",
            "postgresql",
            "shop",
            "db",
            5432),
        arguments("jdbc:mysql://bob:hunter2@db:3306/shop", "mysql", "shop", "db", 3306),
        arguments("jdbc:mysql://bob:hun@ter2@db/shop", "mysql", "shop", "db", 3306),
        arguments("jdbc:mysql://bob@db/shop", "mysql", "shop", "db", 3306),
        arguments(
            "jdbc:mysql://address=(host=db)(user=bob)(password=hunter2)/shop",
            "mysql",
            "shop",
            "db",
            3306),
        // Not valid URLs (a bare '/' or ':' in the password); nothing of them may be reported.
        arguments("jdbc:mysql://bob:hun/ter2@db/shop", "mysql", null, null, -1),
        arguments("jdbc:mariadb://bob:hunter2:x@db/shop", "mariadb", "shop", "db", 3306),
        arguments(
            "jdbc:oracle:thin:bob/hunter2@dbhost:1521:ORCL", "oracle.db", "ORCL", "dbhost", 1521),
        arguments(
            "jdbc:oracle:thin:bob/hun@ter2@//dbhost/sales", "oracle.db", "sales", "dbhost", 1521),
        arguments(
            "jdbc:sqlserver://dbhost;user=bob;password=hunter2;databaseName=shop",
            "microsoft.sql_server",
            "shop",
            "dbhost",
            1433),
        arguments(
            "jdbc:sqlserver://dbhost;password={hunter2;databaseName=bob};databaseName=shop",
            "microsoft.sql_server",
            "shop",
            "dbhost",
            1433),
        arguments(
            "jdbc:h2:tcp://dbhost/~/test;USER=bob;PASSWORD=hun@ter2",
            "h2database",
            "~/test",
            "dbhost",
            9092),
        arguments(
            "jdbc:db2://dbhost:50000/SAMPLE:user=bob@corp;password=hunter2;",
            "ibm.db2",
            "SAMPLE",
            "dbhost",
            50000),
        arguments(
            "jdbc:derby://dbhost/appdb;user=bob;password=hunter2",
            "derby",
            "appdb",
            "dbhost",
            1527),
        arguments("jdbc:hsqldb:mem:x;user=bob;password=hunter2", "hsqldb", "x", null, -1));
  }

  @ParameterizedTest
  @MethodSource("credentials")
  void credentialsNeverAppear(String url, String system, String namespace, String host, int port) {
    DbConnectionInfo parsed = JdbcUrlParser.parse(url);

    assertEquals(info(system, namespace, host, port), parsed, url);
    assertFalse(parsed.toString().contains("bob"), parsed::toString);
    assertFalse(parsed.toString().contains("hunter2"), parsed::toString);
    assertFalse(parsed.toString().contains("ter2"), parsed::toString);
  }

  @Test
  void portsOutsideTheRangeDropTheHost() {
    assertParsed("jdbc:postgresql://db:0/shop", "postgresql", "shop", null, -1);
    assertParsed("jdbc:postgresql://db:65536/shop", "postgresql", "shop", null, -1);
    assertParsed("jdbc:postgresql://db:99999999999/shop", "postgresql", "shop", null, -1);
    assertParsed("jdbc:postgresql://db:65535/shop", "postgresql", "shop", "db", 65535);
  }

  @Test
  void implausibleHostsAreDropped() {
    assertParsed("jdbc:postgresql://d b/shop", "postgresql", "shop", null, -1);
    assertParsed("jdbc:postgresql://" + "a".repeat(254) + "/shop", "postgresql", "shop", null, -1);
  }

  @Test
  void randomUrlsNeverThrowEvenWithoutTheSafetyNet() {
    String[] prefixes = {
      "jdbc:",
      "jdbc:postgresql:",
      "jdbc:mysql:",
      "jdbc:mariadb:",
      "jdbc:h2:",
      "jdbc:oracle:thin:",
      "jdbc:sqlserver:",
      "jdbc:jtds:sqlserver:",
      "jdbc:hsqldb:",
      "jdbc:derby:",
      "jdbc:sqlite:",
      "jdbc:db2:",
      "jdbc:p6spy:",
      "jdbc:otel:mysql:",
      "jdbc:clickhouse:"
    };
    String alphabet = "//::@@;;??==(())[[]],,\\{}.-_%aZ09 \u00e9";
    Random random = new Random(1521L);
    for (int iteration = 0; iteration < 100_000; iteration++) {
      StringBuilder url = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      DbConnectionInfo parsed = JdbcUrlParser.parseJdbcUrl(url.toString());
      assertFalse(parsed.systemName().isEmpty());
      assertFalse(
          parsed.serverPort() == 0 || parsed.serverPort() < -1 || parsed.serverPort() > 65535);
    }
  }

  @Test
  void infoIsAValue() {
    DbConnectionInfo parsed = JdbcUrlParser.parse("jdbc:postgresql://db/shop");

    assertEquals(info("postgresql", "shop", "db", 5432), parsed);
    assertEquals(info("postgresql", "shop", "db", 5432).hashCode(), parsed.hashCode());
    assertEquals(
        "DbConnectionInfo{system=postgresql, namespace=shop, address=db, port=5432}",
        parsed.toString());
  }
}
