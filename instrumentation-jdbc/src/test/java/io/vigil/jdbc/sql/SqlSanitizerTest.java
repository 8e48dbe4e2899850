package io.vigil.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlSanitizerTest {

  private static final int MAX_WITH_MARK = SqlSanitizer.MAX_TEXT_LENGTH + 3;

  private static String text(String sql) {
    return SqlSanitizer.sanitize(sql).text();
  }

  @Nested
  class StringLiterals {

    static Stream<Arguments> cases() {
      return Stream.of(
          arguments("SELECT * FROM t WHERE a = 'x'", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT * FROM t WHERE a = ''", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT * FROM t WHERE a = 'it''s'", "SELECT * FROM t WHERE a = ?"),
          arguments(
              "SELECT * FROM t WHERE a = 'it''s' AND b = 'x'",
              "SELECT * FROM t WHERE a = ? AND b = ?"),
          arguments(
              "SELECT * FROM t WHERE a = 'it\\'s' AND b = 1",
              "SELECT * FROM t WHERE a = ? AND b = ?"),
          arguments(
              "SELECT * FROM t WHERE a = 'back\\\\' AND b = 'y'",
              "SELECT * FROM t WHERE a = ? AND b = ?"),
          arguments("SELECT E'it\\'s', 'z'", "SELECT ?, ?"),
          arguments("SELECT e'\\n'", "SELECT ?"),
          arguments("SELECT N'unicode' FROM t", "SELECT ? FROM t"),
          arguments("SELECT n'x'", "SELECT ?"),
          arguments("SELECT U&'d\\0061t\\+000061'", "SELECT ?"),
          arguments("SELECT _utf8mb4'abc' COLLATE utf8mb4_bin", "SELECT ? COLLATE utf8mb4_bin"),
          arguments("SELECT q'[it's]' FROM dual", "SELECT ? FROM dual"),
          arguments("SELECT Q'{a'b}', NQ'<x'>' FROM dual", "SELECT ?, ? FROM dual"),
          arguments("SELECT q'!a'!' FROM dual", "SELECT ? FROM dual"),
          arguments("SELECT '--not a comment', a FROM t", "SELECT ?, a FROM t"),
          arguments("SELECT '/* not a comment */', a FROM t", "SELECT ?, a FROM t"),
          arguments("SELECT 'multi\nline\ttext' FROM t", "SELECT ? FROM t"),
          arguments("SELECT 'a' 'b'", "SELECT ? ?"),
          arguments("SELECT 'a'||'b'", "SELECT ?||?"),
          arguments("INSERT INTO t VALUES('x','y')", "INSERT INTO t VALUES(?,?)"),
          arguments("SELECT '\"not an identifier\"' FROM t", "SELECT ? FROM t"),
          arguments("SELECT '$$' FROM t", "SELECT ? FROM t"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void becomePlaceholders(String sql, String expected) {
      assertEquals(expected, text(sql));
    }
  }

  @Nested
  class Numbers {

    static Stream<Arguments> cases() {
      return Stream.of(
          arguments("SELECT 1", "SELECT ?"),
          arguments("SELECT * FROM t WHERE id = 42", "SELECT * FROM t WHERE id = ?"),
          arguments("SELECT * FROM t WHERE id=42", "SELECT * FROM t WHERE id=?"),
          arguments("SELECT * FROM t WHERE a = -5", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT * FROM t WHERE a = - 5", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT * FROM t WHERE a=-5", "SELECT * FROM t WHERE a=?"),
          arguments("SELECT * FROM t WHERE a = +5", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT -1, -2.5", "SELECT ?, ?"),
          arguments("SELECT f(-1)", "SELECT f(?)"),
          arguments(
              "SELECT a FROM t WHERE b > 0 AND -1 < c", "SELECT a FROM t WHERE b > ? AND ? < c"),
          arguments("SELECT a-5 FROM t", "SELECT a-? FROM t"),
          arguments("SELECT a - 5 FROM t", "SELECT a - ? FROM t"),
          arguments("SELECT a - -5 FROM t", "SELECT a - ? FROM t"),
          arguments("SELECT (a) - 5", "SELECT (a) - ?"),
          arguments("SELECT ? - 5", "SELECT ? - ?"),
          arguments("SELECT 1-1", "SELECT ?-?"),
          arguments("SELECT 3.14", "SELECT ?"),
          arguments("SELECT .5", "SELECT ?"),
          arguments("SELECT 1.", "SELECT ?"),
          arguments("SELECT 1.e5", "SELECT ?"),
          arguments("SELECT 1e-3, 1E+10, 2.5e3", "SELECT ?, ?, ?"),
          arguments("SELECT 6.02E23 * x", "SELECT ? * x"),
          arguments("SELECT 0xFF, 0x1a2B", "SELECT ?, ?"),
          arguments("SELECT X'0F', x'ff'", "SELECT ?, ?"),
          arguments("SELECT 0b101, B'101', b'0'", "SELECT ?, ?, ?"),
          arguments("SELECT 1.5f, 2.0d, 10L", "SELECT ?, ?, ?"),
          arguments("SELECT * FROM t LIMIT 10 OFFSET 20", "SELECT * FROM t LIMIT ? OFFSET ?"),
          arguments("SELECT * FROM t ORDER BY 1 DESC", "SELECT * FROM t ORDER BY ? DESC"),
          arguments(
              "SELECT CASE WHEN a THEN -1 ELSE -2 END", "SELECT CASE WHEN a THEN ? ELSE ? END"),
          arguments("SELECT arr[1] - 1 FROM t", "SELECT arr[?] - ? FROM t"),
          arguments("SELECT 1.5.3", "SELECT ?.?"),
          arguments("SELECT t.5", "SELECT t.?"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void becomePlaceholders(String sql, String expected) {
      assertEquals(expected, text(sql));
    }

    static Stream<Arguments> identifiersWithDigits() {
      return Stream.of(
          arguments("SELECT col1 FROM t2", "SELECT col1 FROM t2"),
          arguments("SELECT t2.x, a_1, x1y2 FROM s1.t1", "SELECT t2.x, a_1, x1y2 FROM s1.t1"),
          arguments("SELECT t2.x1 FROM t2 WHERE t2.x1 = 7", "SELECT t2.x1 FROM t2 WHERE t2.x1 = ?"),
          arguments("SELECT \"col 2\" FROM \"table 3\"", "SELECT \"col 2\" FROM \"table 3\""),
          arguments("SELECT `c1` FROM `t1`", "SELECT `c1` FROM `t1`"),
          arguments("SELECT [c1] FROM [dbo].[t1]", "SELECT [c1] FROM [dbo].[t1]"),
          arguments("SELECT größe1 FROM straße2", "SELECT größe1 FROM straße2"),
          arguments("SELECT V$SESSION.SID FROM V$SESSION", "SELECT V$SESSION.SID FROM V$SESSION"),
          arguments("SELECT * FROM #temp1", "SELECT * FROM #temp1"),
          arguments("SELECT @p1, @@ROWCOUNT", "SELECT @p1, @@ROWCOUNT"),
          arguments("SELECT x::int4, y::float8 FROM t", "SELECT x::int4, y::float8 FROM t"));
    }

    @ParameterizedTest
    @MethodSource("identifiersWithDigits")
    void identifiersWithDigitsAreKept(String sql, String expected) {
      assertEquals(expected, text(sql));
    }
  }

  @Nested
  class DollarQuotes {

    static Stream<Arguments> cases() {
      return Stream.of(
          arguments("SELECT $$it's$$", "SELECT ?"),
          arguments("SELECT $$a$$, $$b$$", "SELECT ?, ?"),
          arguments("SELECT $tag$ has $$ and ' inside $tag$ FROM t", "SELECT ? FROM t"),
          arguments("SELECT $a$x$a$||$b$y$b$", "SELECT ?||?"),
          arguments("SELECT $_t1$ 42 $_t1$", "SELECT ?"),
          arguments("DO $$BEGIN RAISE NOTICE 'x'; END$$", "DO ?"),
          arguments(
              "SELECT * FROM t WHERE a = $1 AND b = $2", "SELECT * FROM t WHERE a = $1 AND b = $2"),
          arguments("SELECT $name FROM t", "SELECT $name FROM t"),
          arguments("SELECT $ FROM t", "SELECT $ FROM t"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void becomePlaceholders(String sql, String expected) {
      assertEquals(expected, text(sql));
    }
  }

  @Nested
  class PlaceholdersAndIdentifiers {

    static Stream<Arguments> cases() {
      return Stream.of(
          arguments(
              "SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = ? AND b = ?"),
          arguments(
              "SELECT * FROM t WHERE a = :name AND b = :other_1",
              "SELECT * FROM t WHERE a = :name AND b = :other_1"),
          arguments(
              "SELECT * FROM t WHERE a = :1 AND b = :2", "SELECT * FROM t WHERE a = :1 AND b = :2"),
          arguments("SELECT x::text FROM t", "SELECT x::text FROM t"),
          arguments("SELECT '5'::int", "SELECT ?::int"),
          arguments("SET @a:=1", "SET @a:=?"),
          arguments("SELECT arr[1:2] FROM t", "SELECT arr[?:?] FROM t"),
          arguments("SELECT arr[:2] FROM t", "SELECT arr[:?] FROM t"),
          arguments(
              "SELECT \"Weird Name\" FROM \"My Table\"", "SELECT \"Weird Name\" FROM \"My Table\""),
          arguments("SELECT \"a\"\"b\" FROM t", "SELECT \"a\"\"b\" FROM t"),
          arguments("SELECT \"it's\" FROM t WHERE x = 'y'", "SELECT \"it's\" FROM t WHERE x = ?"),
          arguments("SELECT `select` FROM `my db`.`t`", "SELECT `select` FROM `my db`.`t`"),
          arguments("SELECT `a``b` FROM t", "SELECT `a``b` FROM t"),
          arguments(
              "SELECT [Order Details].[Unit-Price] FROM [Order Details]",
              "SELECT [Order Details].[Unit-Price] FROM [Order Details]"),
          arguments("SELECT [a]]b] FROM t", "SELECT [a]]b] FROM t"),
          arguments("SELECT ARRAY[1, 2, 3]", "SELECT ARRAY[?, ?, ?]"),
          arguments("SELECT ARRAY['a','b']", "SELECT ARRAY[?,?]"),
          arguments("SELECT arr[i + 1] FROM t", "SELECT arr[i + ?] FROM t"),
          arguments("{call proc(?, ?)}", "{call proc(?, ?)}"),
          arguments("{? = call fn(?)}", "{? = call fn(?)}"),
          arguments(
              "SELECT {fn UCASE(name)}, {d '2024-01-31'} FROM t",
              "SELECT {fn UCASE(name)}, {d ?} FROM t"),
          arguments("select * from T where A = 1", "select * from T where A = ?"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void areKeptAsWritten(String sql, String expected) {
      assertEquals(expected, text(sql));
    }
  }

  @Nested
  class CommentsAndWhitespace {

    static Stream<Arguments> cases() {
      return Stream.of(
          arguments("SELECT 1 -- the answer", "SELECT ?"),
          arguments("SELECT 1 -- it's\nFROM t", "SELECT ? FROM t"),
          arguments("SELECT 1 -- x\r\nFROM t", "SELECT ? FROM t"),
          arguments("SELECT a--b\nFROM t", "SELECT a FROM t"),
          arguments("/* leading */ SELECT 1", "SELECT ?"),
          arguments("SELECT /* it's */ a FROM t WHERE b = 'x'", "SELECT a FROM t WHERE b = ?"),
          arguments("SELECT /* ' */ a, 'b' FROM t", "SELECT a, ? FROM t"),
          arguments("SELECT /*+ INDEX(t idx) */ a FROM t", "SELECT a FROM t"),
          arguments("SELECT/**/a/**/FROM/**/t", "SELECT a FROM t"),
          arguments("SELECT a /* 42 */ + 1", "SELECT a + ?"),
          arguments("SELECT a /* x -- y */ FROM t", "SELECT a FROM t"),
          arguments("SELECT a -- /* x\nFROM t", "SELECT a FROM t"),
          arguments("/* a /* b */ SELECT 1", "SELECT ?"),
          // Not nested (MySQL and Oracle): the first */ ends the comment; what follows is lexed.
          arguments("/* a /* b */ c */ SELECT 1", "c */ SELECT ?"),
          arguments("SELECT 1 /* unterminated 'x' 42", "SELECT ?"),
          arguments("SELECT 1 --", "SELECT ?"),
          arguments("-- only a comment", ""),
          arguments("/* only */ /* comments */", ""),
          arguments("  SELECT\t\t*\n\n FROM   t  ", "SELECT * FROM t"),
          arguments("SELECT\u0000a\u0001FROM\u00a0t\u2003", "SELECT a FROM t"),
          arguments("SELECT a,b FROM t", "SELECT a,b FROM t"),
          arguments("SELECT a , b FROM t", "SELECT a , b FROM t"),
          arguments("SELECT 1 / 2", "SELECT ? / ?"),
          arguments("   ", ""));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void areDroppedAndCollapsed(String sql, String expected) {
      assertEquals(expected, text(sql));
    }
  }

  @Nested
  class InLists {

    static Stream<Arguments> cases() {
      return Stream.of(
          arguments("SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (?)"),
          arguments("SELECT * FROM t WHERE id IN (?, ?, ?)", "SELECT * FROM t WHERE id IN (?)"),
          arguments("SELECT * FROM t WHERE id IN(1,2,3)", "SELECT * FROM t WHERE id IN(?)"),
          arguments("SELECT * FROM t WHERE id IN ( 1 , 2 )", "SELECT * FROM t WHERE id IN (?)"),
          arguments(
              "SELECT * FROM t WHERE id IN (\n  'a',\n  'b'\n)", "SELECT * FROM t WHERE id IN (?)"),
          arguments("SELECT * FROM t WHERE id IN (1)", "SELECT * FROM t WHERE id IN (?)"),
          arguments("SELECT * FROM t WHERE id IN ( 1 )", "SELECT * FROM t WHERE id IN (?)"),
          arguments("SELECT * FROM t WHERE id in (1, 2)", "SELECT * FROM t WHERE id in (?)"),
          arguments(
              "SELECT * FROM t WHERE id NOT IN (-1, -2)", "SELECT * FROM t WHERE id NOT IN (?)"),
          arguments("SELECT * FROM t WHERE id IN ($1, $2, $3)", "SELECT * FROM t WHERE id IN (?)"),
          arguments("SELECT * FROM t WHERE id IN (:a, :b)", "SELECT * FROM t WHERE id IN (?)"),
          arguments("SELECT * FROM t WHERE id IN (:ids)", "SELECT * FROM t WHERE id IN (:ids)"),
          arguments("SELECT * FROM t WHERE id IN ( $1 )", "SELECT * FROM t WHERE id IN ($1)"),
          arguments(
              "SELECT * FROM t WHERE id IN (1, /* two */ 2)", "SELECT * FROM t WHERE id IN (?)"),
          arguments(
              "SELECT * FROM t WHERE a IN (1, 2) AND b IN ('x', 'y')",
              "SELECT * FROM t WHERE a IN (?) AND b IN (?)"),
          arguments(
              "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)",
              "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = ?)"),
          arguments(
              "SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))",
              "SELECT * FROM t WHERE (a, b) IN ((?, ?), (?, ?))"),
          arguments("SELECT * FROM t WHERE id IN (1, a)", "SELECT * FROM t WHERE id IN (?, a)"),
          arguments(
              "SELECT * FROM t WHERE id IN (1 + 2, 3)", "SELECT * FROM t WHERE id IN (? + ?, ?)"),
          arguments("SELECT * FROM t WHERE id IN ()", "SELECT * FROM t WHERE id IN ()"),
          arguments("SELECT * FROM t WHERE id IN (1, 2", "SELECT * FROM t WHERE id IN (?, ?"),
          arguments("SELECT * FROM t WHERE id IN (1,)", "SELECT * FROM t WHERE id IN (?,)"),
          arguments("SELECT * FROM t WHERE id IN x (1, 2)", "SELECT * FROM t WHERE id IN x (?, ?)"),
          arguments("INSERT INTO t VALUES (1, 2, 3)", "INSERT INTO t VALUES (?, ?, ?)"),
          arguments("SELECT * FROM t WHERE pin (1, 2)", "SELECT * FROM t WHERE pin (?, ?)"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void collapseToOnePlaceholder(String sql, String expected) {
      assertEquals(expected, text(sql));
    }

    @Test
    void aHundredThousandValuesCollapseInsteadOfBeingCut() {
      StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE id IN (");
      for (int i = 0; i < 100_000; i++) {
        sql.append(i == 0 ? "" : ", ").append(1_000_000 + i);
      }
      sql.append(") AND flag = 'y'");

      SanitizedSql sanitized = SqlSanitizer.sanitize(sql.toString());

      assertEquals("SELECT * FROM t WHERE id IN (?) AND flag = ?", sanitized.text());
      assertEquals("t", sanitized.collection());
    }
  }

  @Nested
  class UnterminatedInput {

    static Stream<Arguments> cases() {
      return Stream.of(
          arguments("SELECT * FROM t WHERE a = 'abc", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT * FROM t WHERE a = 'abc AND b = 42", "SELECT * FROM t WHERE a = ?"),
          arguments(
              "SELECT * FROM t WHERE a = 'ends in backslash\\", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT * FROM t WHERE a = '", "SELECT * FROM t WHERE a = ?"),
          arguments("SELECT \"abc FROM t WHERE a = 42", "SELECT ?"),
          arguments("SELECT `abc FROM t WHERE a = 42", "SELECT ?"),
          arguments("SELECT [abc FROM t WHERE a = 42", "SELECT [abc FROM t WHERE a = ?"),
          arguments("SELECT $$abc 42", "SELECT ?"),
          arguments("SELECT $tag$abc 42 $other$", "SELECT ?"),
          arguments("SELECT q'[abc 42", "SELECT ?"),
          arguments("SELECT q'", "SELECT ?"),
          arguments("SELECT E'abc\\'", "SELECT ?"),
          arguments("SELECT 1 /* 42", "SELECT ?"),
          arguments("'", "?"),
          arguments("\"", "?"),
          arguments("/*", ""),
          arguments("$$", "?"),
          arguments("(", "("),
          arguments("-", "-"),
          arguments(":", ":"),
          arguments("[", "["),
          arguments(".", "."),
          arguments("0x", "?"),
          arguments("1e", "?"),
          arguments("1e+", "?+"),
          arguments("U&", "U&"),
          arguments("N", "N"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void neverKeepWhatFollowsAnOpenLiteral(String sql, String expected) {
      assertEquals(expected, text(sql));
    }
  }

  @Nested
  class Dialects {

    @Test
    void standardKeepsDoubleQuotedIdentifiers() {
      assertEquals(
          "SELECT \"name\" FROM t WHERE a = ?",
          SqlSanitizer.sanitize("SELECT \"name\" FROM t WHERE a = 'x'", SqlDialect.STANDARD)
              .text());
    }

    @Test
    void mysqlReplacesDoubleQuotedStrings() {
      assertEquals(
          "SELECT * FROM users WHERE name = ? AND note = ?",
          SqlSanitizer.sanitize(
                  "SELECT * FROM users WHERE name = \"alice\" AND note = \"say \\\"hi\\\""
                      + " \"\"twice\"\"\"",
                  SqlDialect.MYSQL)
              .text());
    }

    static Stream<Arguments> standardBackslashes() {
      return Stream.of(
          arguments(
              "SELECT * FROM users WHERE name LIKE ? ESCAPE '\\' ORDER BY id",
              "SELECT * FROM users WHERE name LIKE ? ESCAPE ? ORDER BY id"),
          arguments(
              "SELECT * FROM users WHERE name LIKE 'a%' ESCAPE '\\' AND b = 'secret'",
              "SELECT * FROM users WHERE name LIKE ? ESCAPE ? AND b = ?"),
          arguments(
              "SELECT * FROM t WHERE (name LIKE ? ESCAPE '\\')",
              "SELECT * FROM t WHERE (name LIKE ? ESCAPE ?)"),
          arguments(
              "SELECT * FROM t WHERE name LIKE ? ESCAPE '\\'",
              "SELECT * FROM t WHERE name LIKE ? ESCAPE ?"),
          arguments("SELECT 'C:\\', 'x'", "SELECT ?, ?"),
          arguments("SELECT 'it\\'s', 'x'", "SELECT ?, ?"),
          arguments("SELECT 'say \\'hi\\'', 'x'", "SELECT ?, ?"),
          arguments("SELECT 'a\\\\' , 'x'", "SELECT ? , ?"),
          arguments("SELECT E'\\' still open', 'x'", "SELECT ?, ?"));
    }

    @ParameterizedTest
    @MethodSource("standardBackslashes")
    void standardEndsAStringAtABackslashQuoteThatNothingContinues(String sql, String expected) {
      assertEquals(expected, SqlSanitizer.sanitize(sql, SqlDialect.STANDARD).text());
    }

    static Stream<Arguments> mysqlBackslashes() {
      return Stream.of(
          arguments(
              "SELECT * FROM users WHERE name LIKE ? ESCAPE '\\\\' ORDER BY id",
              "SELECT * FROM users WHERE name LIKE ? ESCAPE ? ORDER BY id"),
          arguments("SELECT '\\' is a quote', 'x'", "SELECT ?, ?"),
          arguments("SELECT 'it\\'s', \"x\\\"y\"", "SELECT ?, ?"),
          arguments("SELECT 'C:\\\\', 'x'", "SELECT ?, ?"),
          // Malformed for MySQL: the string runs to the next quote, then x' opens a hex literal.
          arguments("SELECT 'C:\\', 'x'", "SELECT ??"));
    }

    @ParameterizedTest
    @MethodSource("mysqlBackslashes")
    void mysqlAlwaysEscapesWithBackslashes(String sql, String expected) {
      assertEquals(expected, SqlSanitizer.sanitize(sql, SqlDialect.MYSQL).text());
    }

    @Test
    void mysqlKeepsBacktickIdentifiersAndTheirCollection() {
      SanitizedSql sanitized =
          SqlSanitizer.sanitize(
              "UPDATE `shop`.`orders` SET note = \"x\" WHERE id = 3", SqlDialect.MYSQL);
      assertEquals("UPDATE `shop`.`orders` SET note = ? WHERE id = ?", sanitized.text());
      assertEquals("shop.orders", sanitized.collection());
    }

    @Test
    void mysqlUnterminatedDoubleQuoteHidesTheRest() {
      assertEquals("SELECT ?", SqlSanitizer.sanitize("SELECT \"abc, 42", SqlDialect.MYSQL).text());
    }

    @Test
    void dialectFollowsSystemName() {
      assertEquals(SqlDialect.MYSQL, SqlDialect.forSystem(DbConnectionInfo.MYSQL));
      assertEquals(SqlDialect.MYSQL, SqlDialect.forSystem(DbConnectionInfo.MARIADB));
      assertEquals(SqlDialect.STANDARD, SqlDialect.forSystem("postgresql"));
      assertEquals(SqlDialect.STANDARD, SqlDialect.forSystem("other_sql"));
      assertEquals(SqlDialect.STANDARD, SqlDialect.forSystem(null));
    }
  }

  @Nested
  class Bounds {

    @Test
    void nullAndEmptyGiveEmptyText() {
      for (String sql : new String[] {null, ""}) {
        SanitizedSql sanitized = SqlSanitizer.sanitize(sql);
        assertEquals("", sanitized.text());
        assertNull(sanitized.operation());
        assertNull(sanitized.collection());
        assertNull(sanitized.spanName());
      }
    }

    @Test
    void textAtTheBoundIsNotCut() {
      String select = "SELECT ";
      String sql = select + "a".repeat(SqlSanitizer.MAX_TEXT_LENGTH - select.length());

      assertEquals(sql, text(sql));
    }

    @Test
    void oneCharacterOverTheBoundIsCutAndMarked() {
      String select = "SELECT ";
      String sql = select + "a".repeat(SqlSanitizer.MAX_TEXT_LENGTH - select.length() + 1);

      String sanitized = text(sql);

      assertEquals(MAX_WITH_MARK, sanitized.length());
      assertEquals(sql.substring(0, SqlSanitizer.MAX_TEXT_LENGTH) + "...", sanitized);
    }

    @Test
    void aMegabyteStatementIsCutButStillAnalysed() {
      StringBuilder sql = new StringBuilder("INSERT INTO big_table (a, b) VALUES ");
      for (int i = 0; sql.length() < 1 << 20; i++) {
        sql.append(i == 0 ? "" : ", ")
            .append("(")
            .append(i)
            .append(", 'secret")
            .append(i)
            .append("')");
      }

      SanitizedSql sanitized =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10), () -> SqlSanitizer.sanitize(sql.toString()));

      assertEquals(MAX_WITH_MARK, sanitized.text().length());
      assertTrue(
          sanitized.text().startsWith("INSERT INTO big_table (a, b) VALUES (?, ?), (?, ?), "));
      assertTrue(sanitized.text().endsWith("..."));
      assertFalse(sanitized.text().contains("secret"));
      assertEquals("INSERT", sanitized.operation());
      assertEquals("big_table", sanitized.collection());
    }

    @Test
    void aMegabyteStringLiteralBecomesOnePlaceholder() {
      String sql = "SELECT * FROM t WHERE a = '" + "x".repeat(1 << 20) + "' AND b = 1";

      assertEquals("SELECT * FROM t WHERE a = ? AND b = ?", text(sql));
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
      String select = "SELECT ";
      String emoji = "\uD83D\uDE00";
      String sql =
          select + "a".repeat(SqlSanitizer.MAX_TEXT_LENGTH - select.length() - 1) + emoji + "bb";

      String sanitized = text(sql);

      assertEquals(sql.substring(0, SqlSanitizer.MAX_TEXT_LENGTH - 1) + "...", sanitized);
    }

    /** Inputs built to defeat a naive lexer with rescans; each must stay linear. */
    static Stream<Arguments> pathologicalInputs() {
      int n = 1 << 21;
      return Stream.of(
          arguments("brackets", "[a".repeat(n / 2)),
          arguments("bracket runs", ("[" + "a ".repeat(50)).repeat(n / 101)),
          arguments("dollar tags", "$a".repeat(n / 2)),
          arguments("dollar quotes", "$a$".repeat(n / 3)),
          arguments("signs", "= - ".repeat(n / 4)),
          arguments("comment openers", "/*".repeat(n / 2)),
          arguments("quotes", "'".repeat(n)),
          arguments("double quotes", "\"".repeat(n)),
          arguments("in lists", "IN (".repeat(n / 4)),
          arguments("open in list", "IN (" + "1,".repeat(n / 2)),
          arguments("colons", ":".repeat(n)),
          arguments("dots", ".5".repeat(n / 2)),
          arguments("alternative quotes", "q'[".repeat(n / 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathologicalInputs")
    void pathologicalInputsStayLinearAndBounded(String name, String sql) {
      SanitizedSql sanitized =
          assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SqlSanitizer.sanitize(sql));

      assertTrue(sanitized.text().length() <= MAX_WITH_MARK, name);
    }
  }

  @Nested
  class Fuzz {

    private static final String ALPHABET =
        "abcSELECTFROMWHEREIN01239 \n"
            + "\t'\"`[]()$:;,.?-+*/=<>!@#&|\\{}eExXbBqQnNuU_\u00e9\uD83D\uDE00\u0000";

    @Test
    void randomGarbageNeverThrowsAndStaysBounded() {
      Random random = new Random(20240131L);
      for (int iteration = 0; iteration < 50_000; iteration++) {
        int length = random.nextInt(120);
        StringBuilder sql = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
          sql.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        String input = sql.toString();

        SanitizedSql first = SqlSanitizer.sanitize(input);
        SanitizedSql again = SqlSanitizer.sanitize(input);

        assertTrue(first.text().length() <= Math.max(input.length(), 1), input);
        assertEquals(first, again, input);
      }
    }

    @Test
    void randomCharactersOfTheWholeRangeNeverThrow() {
      Random random = new Random(7L);
      for (int iteration = 0; iteration < 5_000; iteration++) {
        char[] chars = new char[random.nextInt(300)];
        for (int i = 0; i < chars.length; i++) {
          chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
        }
        SanitizedSql sanitized = SqlSanitizer.sanitize(new String(chars));
        assertTrue(sanitized.text().length() <= chars.length);
      }
    }

    private static final String[] KEPT_FRAGMENTS = {
      "SELECT",
      "FROM",
      "WHERE",
      "AND",
      "OR",
      "IN",
      "NOT",
      "(",
      ")",
      ",",
      "=",
      "<",
      ">=",
      "+",
      "-",
      "*",
      "/",
      ".",
      ";",
      "?",
      ":name",
      "$1",
      "t.x",
      "col_a",
      "\"Weird Name\"",
      "`bt`",
      "[Order Details]",
      "::",
      "{",
      "}",
      "||",
      "x",
      "CASE",
      "WHEN",
      "THEN",
      "ELSE",
      "END",
      "LIMIT",
      "ESCAPE '\\'",
      "'C:\\'"
    };

    /** Every literal form, each carrying the marker 31337, which must never reach the output. */
    private static final String[] SECRET_FRAGMENTS = {
      "31337",
      "-31337",
      "+31337",
      "3.31337",
      ".31337",
      "31337.",
      "31337e5",
      "1.31337E-3",
      "0x31337",
      "0b31337",
      "X'31337'",
      "B'31337'",
      "'a31337'",
      "'it''s 31337'",
      "'31337\\''",
      "E'\\'31337'",
      "N'31337'",
      "U&'31337'",
      "_utf8'31337'",
      "$$31337$$",
      "$q$ 31337 $q$",
      "q'[31337]'",
      "'--31337'",
      "'/*31337'",
      "/* 31337 */",
      "/* ' 31337 */",
      "-- 31337\n",
      "- 31337",
      "31337abc",
      "'31337\n31337'"
    };

    private static final String[] UNTERMINATED_ENDINGS = {
      "",
      "",
      "'31337",
      "\"31337",
      "`31337",
      "$$31337",
      "$t$31337",
      "/* 31337",
      "q'[31337",
      "E'31337\\'",
      "'31337\\"
    };

    private static final String[] SEPARATORS = {" ", "  ", "\n", "\t", " \r\n "};

    @Test
    void noDigitOfAnyLiteralSurvivesRandomStatements() {
      Random random = new Random(31337L);
      for (int iteration = 0; iteration < 20_000; iteration++) {
        StringBuilder sql = new StringBuilder();
        int fragments = 1 + random.nextInt(40);
        for (int i = 0; i < fragments; i++) {
          String[] pool = random.nextInt(3) == 0 ? SECRET_FRAGMENTS : KEPT_FRAGMENTS;
          sql.append(pool[random.nextInt(pool.length)]);
          sql.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
        }
        sql.append(UNTERMINATED_ENDINGS[random.nextInt(UNTERMINATED_ENDINGS.length)]);
        String input = sql.toString();

        String sanitized = text(input);

        assertFalse(
            sanitized.contains("337"), () -> "leaked a literal: " + input + " -> " + sanitized);
        assertFalse(
            sanitized.contains("it"), () -> "leaked a string: " + input + " -> " + sanitized);
        assertEquals(sanitized, text(sanitized), () -> "not a fixed point: " + input);
      }
    }
  }
}
