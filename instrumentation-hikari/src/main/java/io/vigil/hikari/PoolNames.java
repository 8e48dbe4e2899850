package io.vigil.hikari;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code db_client_connection_pool_name} of a pool.
 *
 * <ul>
 *   <li>A name the application set ({@code setPoolName("orders")}, Spring Boot's {@code
 *       spring.datasource.hikari.pool-name}) is kept as it is: it is what HikariCP's own log lines
 *       and JMX beans say.
 *   <li>A name HikariCP generated ({@code HikariPool-N}) depends on the order in which pools happen
 *       to start and on every pool the JVM ever opened, so it is replaced by the database name
 *       from the JDBC URL ({@code jdbc:postgresql://db:5432/shop?ssl=true} is {@code shop}, {@code
 *       jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1} is {@code orders}), else the data source's {@code
 *       databaseName} property, else the URL's subprotocol ({@code postgresql}), else {@code pool}.
 *   <li>Names are unique among the pools that are open: a second open pool on the same database
 *       is {@code shop-2}, a third {@code shop-3}; a closed pool's name is free again, so a pool
 *       that is closed and rebuilt keeps its series.
 * </ul>
 *
 * Only the database name is ever taken from a URL: host, user, password and parameters never
 * become a label.
 */
final class PoolNames {

  private static final Pattern GENERATED = Pattern.compile("HikariPool-\\d+");
  private static final Pattern DATABASE_PROPERTY =
      Pattern.compile("(?i)[;?&:](?:databaseName|database|dbname)=([^;?&]+)");
  private static final int MAX_LENGTH = 64;

  private PoolNames() {}

  /** The readable base name, before uniqueness is applied. */
  static String baseName(String configuredName, String jdbcUrl, String dataSourceDatabaseName) {
    if (configuredName != null && !configuredName.isEmpty() && !GENERATED.matcher(configuredName).matches()) {
      return configuredName.length() > 128 ? configuredName.substring(0, 128) : configuredName;
    }
    String database = databaseFromUrl(jdbcUrl);
    if (database == null) {
      database = clean(dataSourceDatabaseName);
    }
    if (database == null) {
      database = clean(subprotocol(jdbcUrl));
    }
    return database == null ? "pool" : database;
  }

  /** {@code base} if no open pool uses it, else {@code base-2}, {@code base-3}, … */
  static String unique(String base, Collection<String> inUse) {
    if (!inUse.contains(base)) {
      return base;
    }
    for (int i = 2; ; i++) {
      String candidate = base + "-" + i;
      if (!inUse.contains(candidate)) {
        return candidate;
      }
    }
  }

  /** The database (or schema, service, file) name a JDBC URL points at; null when it names none. */
  static String databaseFromUrl(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return null;
    }
    String rest = url.substring(5);
    java.util.regex.Matcher property = DATABASE_PROPERTY.matcher(rest);
    if (property.find()) {
      return clean(property.group(1));
    }
    int cut = indexOfAny(rest, ";?");
    if (cut >= 0) {
      rest = rest.substring(0, cut);
    }
    String path;
    int hosts = rest.indexOf("//");
    if (hosts >= 0) {
      // subprotocol://host:port/db, h2:tcp://host/~/db, oracle:thin:@//host:1521/service
      int slash = rest.indexOf('/', hosts + 2);
      if (slash < 0) {
        return null;
      }
      path = rest.substring(slash + 1);
    } else {
      // h2:mem:orders, h2:file:/data/app, derby:memory:db, oracle:thin:@host:1521:SID
      int colon = rest.indexOf(':');
      path = colon < 0 ? "" : rest.substring(colon + 1);
    }
    int last = Math.max(path.lastIndexOf('/'), Math.max(path.lastIndexOf('\\'), path.lastIndexOf(':')));
    String name = path.substring(last + 1);
    // '=' or '@' in a name means the URL was split in the wrong place ("shopuser=app&password=x"
    // after a missing '?'): the name would put the password into a label.
    return name.indexOf('=') >= 0 || name.indexOf('@') >= 0 ? null : clean(name);
  }

  private static String subprotocol(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return null;
    }
    int colon = url.indexOf(':', 5);
    return (colon < 0 ? url.substring(5) : url.substring(5, colon)).toLowerCase(Locale.ROOT);
  }

  /** Keeps label values plain: letters, digits, {@code _ . -}; bounded length; null when empty. */
  private static String clean(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
    for (int i = 0; i < value.length() && out.length() < MAX_LENGTH; i++) {
      char c = value.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == '-';
      out.append(plain ? c : '_');
    }
    String cleaned = out.toString();
    return cleaned.isEmpty() || cleaned.matches("_+") ? null : cleaned;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
