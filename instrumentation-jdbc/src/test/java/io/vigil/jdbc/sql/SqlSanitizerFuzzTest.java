package io.vigil.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link SqlSanitizer#sanitize(String, SqlDialect)} over generated input, checked for
 * a few thousand cases per run from a fixed seed (so a failure reproduces), plus every input of the
 * regression corpus {@code fuzz/sql.txt}:
 *
 * <ul>
 *   <li>it never throws, and its text is at most {@link SqlSanitizer#MAX_TEXT_LENGTH} characters
 *       and the {@code ...} mark, for any string at all;
 *   <li>no literal of a generated statement survives: each literal (string, number, hex, dollar
 *       quote, Oracle q-quote, prefixed string) and each comment carries a unique marker, and no
 *       marker may appear in the text, the operation or the collection.
 * </ul>
 *
 * <p>That it runs in time linear in its input is shown by {@code SqlSanitizerScalingBenchmark} in
 * {@code benchmarks/}, not timed here.
 */
class SqlSanitizerFuzzTest {

  // -Dvigil.fuzz.seed / -Dvigil.fuzz.cases explore further; the suite runs the fixed seed.
  private static final long SEED = Long.getLong("vigil.fuzz.seed", 0x5eed_13L);
  private static final int CASES = Integer.getInteger("vigil.fuzz.cases", 3000);
  private static final int MAX_OUTPUT = SqlSanitizer.MAX_TEXT_LENGTH + 3;

  @Test
  void generatedStatementsLeakNoLiteral() {
    Random random = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      Statement statement = new Statement(random);
      for (SqlDialect dialect : SqlDialect.values()) {
        checkNoLeak(statement.text, statement.markers, dialect);
      }
    }
  }

  @Test
  void anyStringIsSanitizedWithinBoundsWithoutThrowing() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      String junk = junk(random, random.nextInt(8) == 0 ? 20_000 : 300);
      for (SqlDialect dialect : SqlDialect.values()) {
        checkBounded(junk, dialect);
      }
    }
  }

  @Test
  void corpusOfOnceFailingInputs() {
    for (String input : FuzzCorpus.load("sql.txt")) {
      for (SqlDialect dialect : SqlDialect.values()) {
        checkBounded(input, dialect);
        checkNoLeak(input, markersIn(input), dialect);
      }
    }
  }

  private static void checkBounded(String input, SqlDialect dialect) {
    SanitizedSql out;
    try {
      out = SqlSanitizer.sanitize(input, dialect);
    } catch (Throwable t) {
      throw new AssertionError(dialect + " threw on: " + FuzzCorpus.escape(input), t);
    }
    assertTrue(out.text().length() <= MAX_OUTPUT, dialect + " " + out.text().length() + " characters from: "
        + FuzzCorpus.escape(input.substring(0, Math.min(200, input.length()))));
  }

  private static void checkNoLeak(String sql, List<String> markers, SqlDialect dialect) {
    SanitizedSql out = SqlSanitizer.sanitize(sql, dialect);
    for (String marker : markers) {
      for (String field : new String[] {out.text(), out.operation(), out.collection()}) {
        if (field != null && field.contains(marker)) {
          fail(dialect + " leaked " + marker + " into '" + field + "' from: " + FuzzCorpus.escape(sql));
        }
      }
    }
  }

  /** The markers of a corpus line: every {@code Zq<digits>x} and every run of 7+ digits. */
  private static List<String> markersIn(String input) {
    List<String> markers = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Zq\\d+x|\\d{7,}").matcher(input);
    while (m.find()) {
      markers.add(m.group());
    }
    return markers;
  }

  private static String junk(Random random, int maxLength) {
    String alphabet = "'\"`[]$-/*\\\n\t ;,.()?:eExXbBnNqQuU&_0123456789abcSELECTFROMWHEREIN=+<>é€\u0000\ud83d";
    int length = random.nextInt(maxLength + 1);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x10000) : alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  /** A statement from a small SQL grammar whose every literal and comment carries a marker. */
  private static final class Statement {
    private static final String[] WORDS = {
      "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "INSERT INTO", "VALUES", "UPDATE", "SET", "DELETE FROM",
      "JOIN", "ON", "ORDER BY", "GROUP BY", "LIMIT", "IN", "LIKE", "ESCAPE", "IS NULL", "CASE WHEN", "THEN", "END",
      "users", "t.col", "\"Weird Name\"", "`tick`", "[sq]", "col_a", "a.b", "count(*)", "=", "<>", "<=", "+", "-",
      "*", "/", "||", "(", ")", ",", ";", "?", ":name", "$1", "::text",
    };
    private static final String[] SEPARATORS = {" ", "  ", "\n", "\t", ""};

    final String text;
    final List<String> markers = new ArrayList<>();
    private int next = 1_000_000;

    Statement(Random random) {
      StringBuilder sql = new StringBuilder();
      int tokens = 1 + random.nextInt(random.nextInt(20) == 0 ? 400 : 30);
      for (int i = 0; i < tokens; i++) {
        if (random.nextInt(3) == 0) {
          sql.append(literal(random));
        } else {
          sql.append(WORDS[random.nextInt(WORDS.length)]);
        }
        sql.append(random.nextInt(10) == 0 ? comment(random) : SEPARATORS[random.nextInt(SEPARATORS.length)]);
        if (sql.length() > 0 && sql.charAt(sql.length() - 1) != ' ' && sql.charAt(sql.length() - 1) != '\n') {
          sql.append(' '); // tokens never run together into one word
        }
      }
      text = sql.toString();
    }

    private String marker() {
      String m = "Zq" + (next++) + "x";
      markers.add(m);
      return m;
    }

    private String digits() {
      String m = Integer.toString(next++ + 8_000_000);
      markers.add(m);
      return m;
    }

    private String literal(Random random) {
      switch (random.nextInt(14)) {
        case 0: return "'" + marker() + "'";
        case 1: return "'" + marker() + "''s " + marker() + "'";
        case 2: return "'" + marker() + "\\'" + marker() + "'";
        case 3: return "E'" + marker() + "\\n'";
        case 4: return "N'" + marker() + "'";
        case 5: return "$$" + marker() + " ' \" $$";
        case 6: return "$tag$" + marker() + "$tag$";
        case 7: return "q'[" + marker() + "]'";
        case 8: return (random.nextBoolean() ? "-" : "") + digits();
        case 9: return digits() + "." + digits();
        case 10: return digits() + "e-3";
        case 11: return "0x" + digits();
        case 12: return "X'" + digits() + "'";
        default: return "IN (" + digits() + ", '" + marker() + "', " + digits() + ")";
      }
    }

    private String comment(Random random) {
      return random.nextBoolean() ? " /* " + marker() + " ' */ " : " -- " + marker() + " '\n";
    }
  }
}
