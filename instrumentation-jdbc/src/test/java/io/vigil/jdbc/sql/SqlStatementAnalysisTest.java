package io.vigil.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Operation and collection as read from the token stream, and batch descriptions. */
class SqlStatementAnalysisTest {

  private static void assertAnalysed(String sql, String operation, String collection) {
    SanitizedSql sanitized = SqlSanitizer.sanitize(sql);
    assertAll(
        sql,
        () -> assertEquals(operation, sanitized.operation(), "operation"),
        () -> assertEquals(collection, sanitized.collection(), "collection"));
  }

  static Stream<Arguments> selects() {
    return Stream.of(
        arguments("SELECT * FROM users", "SELECT", "users"),
        arguments("select id from Users where id = 1", "SELECT", "Users"),
        arguments("SELECT a FROM app.users u WHERE u.id = ?", "SELECT", "app.users"),
        arguments("SELECT a FROM db.app.users", "SELECT", "db.app.users"),
        arguments("SELECT a FROM t1 JOIN t2 ON t1.id = t2.id", "SELECT", "t1"),
        arguments("SELECT a FROM t1 LEFT OUTER JOIN t2 USING (id)", "SELECT", "t1"),
        arguments("SELECT a FROM t1, t2 WHERE t1.x = t2.x", "SELECT", "t1"),
        arguments("SELECT a FROM t1 AS x", "SELECT", "t1"),
        arguments("SELECT \"Col\" FROM \"My Schema\".\"My Table\"", "SELECT", "My Schema.My Table"),
        arguments("SELECT a FROM \"we\"\"ird\"", "SELECT", "we\"ird"),
        arguments("SELECT a FROM `shop`.`order items`", "SELECT", "shop.order items"),
        arguments(
            "SELECT a FROM [dbo].[Order Details] WITH (NOLOCK)", "SELECT", "dbo.Order Details"),
        arguments("SELECT a FROM ONLY parent", "SELECT", "parent"),
        arguments("SELECT (SELECT max(b) FROM inner_t) FROM outer_t", "SELECT", "outer_t"),
        arguments(
            "SELECT EXTRACT(YEAR FROM d), SUBSTRING(s FROM 2 FOR 3) FROM events",
            "SELECT",
            "events"),
        arguments("SELECT a IS DISTINCT FROM b FROM t", "SELECT", "t"),
        arguments("SELECT * FROM (SELECT * FROM t) sub", "SELECT", null),
        arguments("SELECT * FROM generate_series(1, 10)", "SELECT", null),
        arguments("SELECT * FROM TABLE(f(?))", "SELECT", null),
        arguments("SELECT * FROM LATERAL (SELECT 1) x", "SELECT", null),
        arguments("SELECT 1", "SELECT", null),
        arguments("SELECT now()", "SELECT", null),
        arguments("(SELECT a FROM t1) UNION (SELECT a FROM t2)", "SELECT", "t1"),
        arguments("(((SELECT a FROM t1)))", "SELECT", "t1"),
        arguments("SELECT a FROM t1 UNION ALL SELECT a FROM t2", "SELECT", "t1"),
        arguments("SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT", "t"),
        arguments("SELECT * FROM users; DROP TABLE users", "SELECT", "users"),
        arguments("SELECT a; SELECT b FROM t", "SELECT", null),
        arguments("/* app=shop */ SELECT * FROM orders", "SELECT", "orders"),
        arguments("-- report\nSELECT * FROM orders", "SELECT", "orders"),
        arguments("SELECT a FROM V$SESSION", "SELECT", "V$SESSION"),
        arguments("SELECT a FROM #temp", "SELECT", "#temp"),
        arguments("SELECT a FROM", "SELECT", null),
        arguments("SELECT a FROM 'literal'", "SELECT", null),
        arguments("SELECT a FROM \"" + "x".repeat(300) + "\"", "SELECT", null));
  }

  @ParameterizedTest
  @MethodSource("selects")
  void selectReadsTheFirstTableOfItsOwnFrom(String sql, String operation, String collection) {
    assertAnalysed(sql, operation, collection);
  }

  static Stream<Arguments> writes() {
    return Stream.of(
        arguments("INSERT INTO orders (id, total) VALUES (?, ?)", "INSERT", "orders"),
        arguments("insert into shop.orders values (1)", "INSERT", "shop.orders"),
        arguments("INSERT orders VALUES (1)", "INSERT", "orders"),
        arguments("INSERT IGNORE INTO orders SET id = 1", "INSERT", "orders"),
        arguments("INSERT LOW_PRIORITY IGNORE INTO orders VALUES (1)", "INSERT", "orders"),
        arguments("INSERT OR REPLACE INTO kv VALUES (?, ?)", "INSERT", "kv"),
        arguments(
            "INSERT ALL INTO a VALUES (1) INTO b VALUES (2) SELECT * FROM dual", "INSERT", "a"),
        arguments("INSERT OVERWRITE TABLE logs SELECT * FROM staging", "INSERT", "logs"),
        arguments("INSERT INTO \"Order\" (\"Id\") VALUES (1)", "INSERT", "Order"),
        arguments("INSERT INTO orders SELECT * FROM staging", "INSERT", "orders"),
        arguments("REPLACE INTO kv VALUES (1, 'a')", "REPLACE", "kv"),
        arguments("UPSERT INTO kv VALUES (1, 'a')", "UPSERT", "kv"),
        arguments("UPDATE orders SET total = 1 WHERE id = 2", "UPDATE", "orders"),
        arguments("UPDATE ONLY orders SET total = 1", "UPDATE", "orders"),
        arguments("UPDATE LOW_PRIORITY IGNORE orders SET total = 1", "UPDATE", "orders"),
        arguments("UPDATE [dbo].[orders] SET total = 1", "UPDATE", "dbo.orders"),
        arguments("DELETE FROM orders WHERE id = 1", "DELETE", "orders"),
        arguments("DELETE orders WHERE id = 1", "DELETE", "orders"),
        arguments("DELETE FROM ONLY orders", "DELETE", "orders"),
        arguments("DELETE LOW_PRIORITY QUICK IGNORE FROM orders", "DELETE", "orders"),
        arguments("MERGE INTO target t USING source s ON (t.id = s.id)", "MERGE", "target"),
        arguments("MERGE target USING source ON target.id = source.id", "MERGE", "target"),
        arguments("TRUNCATE TABLE orders", "TRUNCATE", "orders"),
        arguments("TRUNCATE orders", "TRUNCATE", "orders"),
        arguments("TRUNCATE TABLE ONLY orders", "TRUNCATE", "orders"));
  }

  @ParameterizedTest
  @MethodSource("writes")
  void writesReadTheirTargetTable(String sql, String operation, String collection) {
    assertAnalysed(sql, operation, collection);
  }

  static Stream<Arguments> definitions() {
    return Stream.of(
        arguments("CREATE TABLE orders (id INT)", "CREATE", "orders"),
        arguments("create table if not exists app.orders (id int)", "CREATE", "app.orders"),
        arguments("CREATE TEMPORARY TABLE tmp (id INT)", "CREATE", "tmp"),
        arguments("CREATE GLOBAL TEMPORARY TABLE tmp (id INT)", "CREATE", "tmp"),
        arguments("CREATE OR REPLACE TABLE t AS SELECT 1", "CREATE", "t"),
        arguments("CREATE UNLOGGED TABLE fast (id INT)", "CREATE", "fast"),
        arguments("CREATE INDEX idx ON orders (id)", "CREATE", null),
        arguments("CREATE VIEW v AS SELECT * FROM orders", "CREATE", null),
        arguments("DROP TABLE orders", "DROP", "orders"),
        arguments("DROP TABLE IF EXISTS orders CASCADE", "DROP", "orders"),
        arguments("DROP SEQUENCE s", "DROP", null),
        arguments("ALTER TABLE orders ADD COLUMN note TEXT", "ALTER", "orders"),
        arguments("ALTER TABLE IF EXISTS ONLY orders ADD x INT", "ALTER", "orders"),
        arguments("ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY'", "ALTER", null));
  }

  @ParameterizedTest
  @MethodSource("definitions")
  void tableDefinitionsReadTheirTable(String sql, String operation, String collection) {
    assertAnalysed(sql, operation, collection);
  }

  static Stream<Arguments> otherOperations() {
    return Stream.of(
        arguments("{call refresh_totals(?)}", "CALL", null),
        arguments("{ call refresh_totals(?, ?) }", "CALL", null),
        arguments("{? = call compute(?)}", "CALL", null),
        arguments("CALL refresh_totals(1)", "CALL", null),
        arguments("EXEC sp_who", "EXEC", null),
        arguments("EXECUTE proc @a = 1", "EXECUTE", null),
        arguments("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent", "SELECT", "recent"),
        arguments(
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
            "SELECT",
            "r"),
        arguments(
            "WITH a AS (SELECT 1), b AS (SELECT 2) INSERT INTO t SELECT * FROM a", "INSERT", "t"),
        arguments(
            "WITH moved AS (DELETE FROM q RETURNING *) INSERT INTO done SELECT * FROM moved",
            "INSERT",
            "done"),
        arguments("WITH x AS (SELECT 1)", "WITH", null),
        arguments("EXPLAIN SELECT * FROM t", "EXPLAIN", null),
        arguments("SET search_path TO app", "SET", null),
        arguments("SHOW TABLES", "SHOW", null),
        arguments("BEGIN", "BEGIN", null),
        arguments("START TRANSACTION", "START", null),
        arguments("commit", "COMMIT", null),
        arguments("ROLLBACK TO SAVEPOINT s1", "ROLLBACK", null),
        arguments("SAVEPOINT s1", "SAVEPOINT", null),
        arguments("VALUES (1, 2)", "VALUES", null),
        arguments("GRANT SELECT ON t TO u", "GRANT", null),
        arguments("PRAGMA foreign_keys = ON", "PRAGMA", null),
        arguments("DO $$ BEGIN END $$", "DO", null));
  }

  @ParameterizedTest
  @MethodSource("otherOperations")
  void otherOperationsHaveNoCollection(String sql, String operation, String collection) {
    assertAnalysed(sql, operation, collection);
  }

  static Stream<Arguments> unknownOperations() {
    return Stream.of(
        arguments(""),
        arguments("   "),
        arguments("-- nothing"),
        arguments("frobnicate the database"),
        arguments("\"SELECT\" * FROM t"),
        arguments("'SELECT' * FROM t"),
        arguments("42"),
        arguments("SELECTED * FROM t"),
        arguments(";;;"),
        // Beyond a few leading parentheses it is garbage, not a statement.
        arguments("((((((((((SELECT 1))))))))))"));
  }

  @ParameterizedTest
  @MethodSource("unknownOperations")
  void unknownOperationsAreNullSoTheyCannotBecomeLabels(String sql) {
    assertAnalysed(sql, null, null);
  }

  @Test
  void operationIsTheCanonicalUpperCaseKeyword() {
    SanitizedSql sanitized = SqlSanitizer.sanitize("sElEcT 1");
    assertEquals("SELECT", sanitized.operation());
    assertEquals("sElEcT ?", sanitized.text());
  }

  @Test
  void spanNameJoinsOperationAndCollection() {
    assertEquals("SELECT orders", SqlSanitizer.sanitize("SELECT * FROM orders").spanName());
    assertEquals("SELECT", SqlSanitizer.sanitize("SELECT 1").spanName());
    assertEquals("CALL", SqlSanitizer.sanitize("{call p(?)}").spanName());
    assertNull(SqlSanitizer.sanitize("nonsense").spanName());
  }

  @Test
  void collectionIsFoundAfterAThousandColumns() {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < 1000; i++) {
      sql.append(i == 0 ? "" : ", ").append("c").append(i);
    }
    sql.append(" FROM wide");
    assertAnalysed(sql.toString(), "SELECT", "wide");
  }

  @Test
  void equalResultsAreEqual() {
    SanitizedSql a = SqlSanitizer.sanitize("SELECT * FROM t WHERE id = 1");
    SanitizedSql b = SqlSanitizer.sanitize("SELECT  *  FROM t WHERE id = 2");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(
        "SanitizedSql{operation=SELECT, collection=t, text=SELECT * FROM t WHERE id = ?}",
        a.toString());
  }

  @Nested
  class Batches {

    private SanitizedSql sql(String text) {
      return SqlSanitizer.sanitize(text);
    }

    @Test
    void sameOperationAndTableIsBatchOfThatOperation() {
      SanitizedSql batch =
          SqlSanitizer.batch(
              Arrays.asList(
                  sql("INSERT INTO orders VALUES (1)"),
                  sql("INSERT INTO orders VALUES (2)"),
                  sql("INSERT INTO orders (id) VALUES (3)")));

      assertEquals("BATCH INSERT", batch.operation());
      assertEquals("orders", batch.collection());
      assertEquals(
          "INSERT INTO orders VALUES (?); INSERT INTO orders (id) VALUES (?)", batch.text());
      assertEquals("BATCH INSERT orders", batch.spanName());
    }

    @Test
    void sameOperationOnDifferentTablesDropsTheCollection() {
      SanitizedSql batch =
          SqlSanitizer.batch(Arrays.asList(sql("UPDATE a SET x = 1"), sql("UPDATE b SET x = 2")));

      assertEquals("BATCH UPDATE", batch.operation());
      assertNull(batch.collection());
      assertEquals("UPDATE a SET x = ?; UPDATE b SET x = ?", batch.text());
    }

    @Test
    void mixedOperationsArePlainBatch() {
      SanitizedSql batch =
          SqlSanitizer.batch(
              Arrays.asList(sql("INSERT INTO a VALUES (1)"), sql("DELETE FROM a WHERE id = 1")));

      assertEquals("BATCH", batch.operation());
      assertEquals("a", batch.collection());
      assertEquals("INSERT INTO a VALUES (?); DELETE FROM a WHERE id = ?", batch.text());
    }

    @Test
    void unknownOperationsArePlainBatch() {
      SanitizedSql batch = SqlSanitizer.batch(Arrays.asList(sql("foo 1"), sql("foo 2")));

      assertEquals("BATCH", batch.operation());
      assertNull(batch.collection());
      assertEquals("foo ?", batch.text());
    }

    @Test
    void onePreparedStatementExecutedManyTimesIsOneText() {
      SanitizedSql statement = sql("INSERT INTO events (a, b) VALUES (?, ?)");

      SanitizedSql batch = SqlSanitizer.batch(Collections.nCopies(10_000, statement));

      assertEquals("BATCH INSERT", batch.operation());
      assertEquals("events", batch.collection());
      assertEquals("INSERT INTO events (a, b) VALUES (?, ?)", batch.text());
    }

    @Test
    void distinctTextsKeepFirstSeenOrder() {
      SanitizedSql batch =
          SqlSanitizer.batch(
              Arrays.asList(
                  sql("DELETE FROM b"),
                  sql("DELETE FROM a"),
                  sql("DELETE FROM b"),
                  sql("DELETE FROM a")));

      assertEquals("DELETE FROM b; DELETE FROM a", batch.text());
    }

    @Test
    void aBatchOfOneIsThatStatement() {
      SanitizedSql only = sql("INSERT INTO a VALUES (1)");

      assertSame(only, SqlSanitizer.batch(Collections.singletonList(only)));
      assertSame(only, SqlSanitizer.batch(Arrays.asList(null, only, null)));
    }

    @Test
    void nullOrEmptyIsAnEmptyBatch() {
      for (List<SanitizedSql> statements :
          Arrays.<List<SanitizedSql>>asList(
              null, Collections.emptyList(), Arrays.asList(null, null))) {
        SanitizedSql batch = SqlSanitizer.batch(statements);
        assertEquals("BATCH", batch.operation());
        assertNull(batch.collection());
        assertEquals("", batch.text());
      }
    }

    @Test
    void textIsBoundedLikeOneStatement() {
      List<SanitizedSql> statements = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        statements.add(
            sql(
                "INSERT INTO table_number_"
                    + "abcdefghij".charAt(i % 10)
                    + i / 10 % 26
                    + " VALUES (1)"));
      }

      SanitizedSql batch = SqlSanitizer.batch(statements);

      assertEquals(SqlSanitizer.MAX_TEXT_LENGTH + 3, batch.text().length());
      assertEquals("...", batch.text().substring(SqlSanitizer.MAX_TEXT_LENGTH));
      assertEquals("BATCH INSERT", batch.operation());
      assertNull(batch.collection());
    }
  }
}
