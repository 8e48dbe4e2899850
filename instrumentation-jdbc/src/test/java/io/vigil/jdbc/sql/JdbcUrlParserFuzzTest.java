package io.vigil.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link JdbcUrlParser} over generated URLs, from a fixed seed, plus the regression
 * corpus {@code fuzz/jdbc-url.txt} (each line a URL whose password is {@value #CORPUS_SECRET}):
 *
 * <ul>
 *   <li>the parser without its safety net ({@link JdbcUrlParser#parseJdbcUrl}) throws on no input:
 *       real URLs of every supported syntax carrying a generated password, the same with random
 *       edits, and random text;
 *   <li>the password, however it is spelled and wherever the URL puts it, never reaches the
 *       system, namespace or server address; the port is a valid port or unknown.
 * </ul>
 */
class JdbcUrlParserFuzzTest {

  private static final long SEED = Long.getLong("vigil.fuzz.seed", 0xdb_13L);
  private static final int CASES = Integer.getInteger("vigil.fuzz.cases", 3000);
  private static final String CORPUS_SECRET = "Sk9corpusPW";

  /** {@code %s} is the password. */
  private static final String[] TEMPLATES = {
    "jdbc:postgresql://user:%s@db.example.com:5432/shop?ssl=true",
    "jdbc:postgresql://db.example.com/shop?user=app&password=%s&ssl=true",
    "jdbc:postgresql://h1:5432,h2:5433/shop?password=%s",
    "jdbc:mysql://app:%s@db.example.com:3306/shop",
    "jdbc:mysql://db.example.com/shop?user=app&password=%s",
    "jdbc:mysql://address=(host=db)(port=3306)(user=app)(password=%s)/shop",
    "jdbc:mariadb://db.example.com/shop?password=%s",
    "jdbc:oracle:thin:app/%s@db.example.com:1521:ORCL",
    "jdbc:oracle:thin:app/%s@//db.example.com:1521/svc",
    "jdbc:sqlserver://db.example.com:1433;databaseName=shop;user=app;password=%s",
    "jdbc:jtds:sqlserver://db.example.com:1433/shop;user=app;password=%s",
    "jdbc:h2:tcp://db.example.com/~/shop;USER=app;PASSWORD=%s",
    "jdbc:h2:mem:shop;PASSWORD=%s",
    "jdbc:db2://db.example.com:50000/shop:user=app;password=%s;",
    "jdbc:derby://db.example.com:1527/shop;user=app;password=%s",
    "jdbc:hsqldb:hsql://db.example.com/shop;password=%s",
    "jdbc:p6spy:mysql://app:%s@db.example.com/shop",
    "jdbc:clickhouse://db.example.com:8123/shop?password=%s",
  };

  @Test
  void passwordsNeverReachTheConnectionInfo() {
    Random random = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      String secret = secret(random);
      String url = String.format(TEMPLATES[random.nextInt(TEMPLATES.length)], secret);
      check(url, secret);
    }
  }

  @Test
  void editedUrlsNeitherThrowNorLeak() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      String secret = secret(random);
      StringBuilder url = new StringBuilder(String.format(TEMPLATES[random.nextInt(TEMPLATES.length)], secret));
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && url.length() > 0; e++) {
        int at = random.nextInt(url.length());
        switch (random.nextInt(3)) {
          case 0 -> url.deleteCharAt(at);
          case 1 -> url.insert(at, "/:@;?&=,()[]%".charAt(random.nextInt(13)));
          default -> url.insert(at, url.charAt(at));
        }
      }
      // While the password still follows its separator ("password=", "user:", "app/"), it must
      // not leak. Edits that delete every separator ("shoppasswordSk9...") leave a name that no
      // parser can tell from a database name: those are only checked for throwing.
      String edited = url.toString();
      boolean delimited = edited.contains("=" + secret) || edited.contains(":" + secret) || edited.contains("/" + secret);
      check(edited, delimited ? secret : null);
    }
  }

  @Test
  void randomTextNeverThrows() {
    Random random = new Random(SEED + 2);
    String alphabet = "jdbc:postgresqlmyoraclethin//@:;?&=/,()[]%.-_~ \t\n0123456789é\u0000";
    for (int i = 0; i < CASES; i++) {
      StringBuilder text = new StringBuilder(random.nextBoolean() ? "jdbc:" : "");
      int length = random.nextInt(random.nextInt(10) == 0 ? 5000 : 80);
      for (int c = 0; c < length; c++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      check(text.toString(), null);
    }
  }

  @Test
  void corpusOfOnceFailingUrls() {
    for (String url : FuzzCorpus.load("jdbc-url.txt")) {
      check(url, CORPUS_SECRET);
    }
  }

  private static void check(String url, String secret) {
    DbConnectionInfo info;
    try {
      info = JdbcUrlParser.parseJdbcUrl(url.trim());
    } catch (Throwable t) {
      throw new AssertionError("threw on: " + FuzzCorpus.escape(url), t);
    }
    int port = info.serverPort();
    assertTrue(port == DbConnectionInfo.UNKNOWN_PORT || port > 0 && port <= 65535,
        "port " + port + " from: " + FuzzCorpus.escape(url));
    if (secret == null) {
      return;
    }
    for (String field : new String[] {info.systemName(), info.namespace(), info.serverAddress()}) {
      if (field != null && field.contains(secret)) {
        fail("the password reached '" + field + "' from: " + FuzzCorpus.escape(url) + " (" + info + ")");
      }
    }
  }

  /** A password with a recognisable head and the punctuation that splits URLs in its tail. */
  private static String secret(Random random) {
    String tail = "abcXYZ0123456789!$*+-_~.:/@;?&=,()";
    StringBuilder s = new StringBuilder("Sk9");
    int length = 5 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      s.append(tail.charAt(random.nextInt(tail.length())));
    }
    return s.toString();
  }
}
