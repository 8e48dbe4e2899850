package io.vigil.jdbc.sql;

import static io.vigil.jdbc.sql.DbConnectionInfo.DB2;
import static io.vigil.jdbc.sql.DbConnectionInfo.DERBY;
import static io.vigil.jdbc.sql.DbConnectionInfo.H2;
import static io.vigil.jdbc.sql.DbConnectionInfo.HSQLDB;
import static io.vigil.jdbc.sql.DbConnectionInfo.MARIADB;
import static io.vigil.jdbc.sql.DbConnectionInfo.MYSQL;
import static io.vigil.jdbc.sql.DbConnectionInfo.ORACLE;
import static io.vigil.jdbc.sql.DbConnectionInfo.OTHER_SQL;
import static io.vigil.jdbc.sql.DbConnectionInfo.POSTGRESQL;
import static io.vigil.jdbc.sql.DbConnectionInfo.SQLITE;
import static io.vigil.jdbc.sql.DbConnectionInfo.SQL_SERVER;
import static io.vigil.jdbc.sql.DbConnectionInfo.UNKNOWN;
import static io.vigil.jdbc.sql.DbConnectionInfo.UNKNOWN_PORT;

import java.util.Locale;

/**
 * Reads {@link DbConnectionInfo} from a JDBC URL.
 *
 * <p>Contract: never throws; null, blank, non-JDBC or unrecognised URLs give system {@code
 * other_sql} (with host, port and database still read from a {@code //host:port/db} part when there
 * is one). Wrapping drivers ({@code jdbc:p6spy:}, {@code jdbc:otel:}, {@code jdbc:log4jdbc:},
 * {@code jdbc:tracing:}, {@code jdbc:aws-wrapper:}) are looked through. Only the system, database,
 * host and port are read; user names, passwords and every other property are skipped, and a host or
 * database that looks like part of a credential (a port that is not a number, a database name with
 * {@code @} or {@code =}) is dropped rather than reported. Where several hosts are listed the first is reported.
 * A host given without a port gets the driver's default port.
 *
 * <p>Linear in the URL; meant to run once per connection or data source, not per statement.
 */
public final class JdbcUrlParser {

  private static final String[] WRAPPERS = {"p6spy", "otel", "log4jdbc", "tracing", "aws-wrapper"};

  /** Address characters of host names, IPv4 and IPv6 literals (with zone ids). */
  private static final String HOST_PUNCTUATION = ".-_:%";

  private static final int MAX_HOST_LENGTH = 253;

  private JdbcUrlParser() {}

  /** The connection info of {@code jdbcUrl}; never null. */
  public static DbConnectionInfo parse(String jdbcUrl) {
    if (jdbcUrl == null) {
      return UNKNOWN;
    }
    try {
      return parseJdbcUrl(jdbcUrl.trim());
    } catch (RuntimeException e) {
      // URLs come from any application; one no rule foresaw must not fail opening a connection.
      return UNKNOWN;
    }
  }

  /** {@link #parse} without its safety net, so that tests can see any exception it would hide. */
  static DbConnectionInfo parseJdbcUrl(String url) {
    if (!url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return UNKNOWN;
    }
    String rest = url.substring(5);
    // Wrappers can stack: jdbc:otel:p6spy:postgresql://...
    for (int i = 0; i < WRAPPERS.length; i++) {
      int colon = rest.indexOf(':');
      if (colon < 0 || !isWrapper(rest.substring(0, colon))) {
        break;
      }
      rest = rest.substring(colon + 1);
    }
    int colon = rest.indexOf(':');
    String subprotocol = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
    String body = colon < 0 ? "" : rest.substring(colon + 1);
    switch (subprotocol) {
      case "postgresql":
      case "pgsql":
        return postgresql(body);
      case "mysql":
        return mysqlFamily(MYSQL, body, 3306);
      case "mysql+srv":
        // The host is a DNS SRV name; the port comes from the SRV record.
        return mysqlFamily(MYSQL, body, UNKNOWN_PORT);
      case "mariadb":
        return mysqlFamily(MARIADB, body, 3306);
      case "h2":
        return h2(body);
      case "oracle":
        return oracle(body);
      case "sqlserver":
        return sqlServer(body);
      case "jtds":
        return jtds(body);
      case "hsqldb":
        return hsqldb(body);
      case "derby":
        return derby(body);
      case "sqlite":
        return sqlite(body);
      case "db2":
        return db2(body);
      case "as400":
        return networkOrNothing(DB2, body, UNKNOWN_PORT, "");
      default:
        return networkOrNothing(otherSystem(subprotocol), body, UNKNOWN_PORT, "");
    }
  }

  private static boolean isWrapper(String segment) {
    for (String wrapper : WRAPPERS) {
      if (wrapper.equalsIgnoreCase(segment)) {
        return true;
      }
    }
    return false;
  }

  /** Systems recognised by name only: their URLs follow the common //host:port/db shape. */
  private static String otherSystem(String subprotocol) {
    switch (subprotocol) {
      case "clickhouse":
      case "ch":
        return "clickhouse";
      case "firebirdsql":
        return "firebirdsql";
      case "sap":
        return "sap.hana";
      case "trino":
        return "trino";
      case "teradata":
        return "teradata";
      case "informix-sqli":
        return "ibm.informix";
      case "redshift":
        return "aws.redshift";
      default:
        return OTHER_SQL;
    }
  }

  /** {@code //host[:port][,host2...]/db?params}, or {@code db} alone meaning localhost. */
  private static DbConnectionInfo postgresql(String body) {
    Address address = Address.parse(body, "");
    if (address != null) {
      return address.toInfo(POSTGRESQL, 5432, "localhost", address.path);
    }
    String database = upTo(body, "?#");
    if (database.startsWith("/")) {
      database = database.substring(1);
    }
    return info(POSTGRESQL, "localhost", null, 5432, database);
  }

  /**
   * {@code [loadbalance:|replication:|sequential:|...]//host[:port]/db}, with the MySQL host forms
   * {@code address=(host=h)(port=p)}, {@code (host=h,port=p)} and {@code [h1,h2]}.
   */
  private static DbConnectionInfo mysqlFamily(String system, String body, int defaultPort) {
    return networkOrNothing(system, body, defaultPort, "", "localhost");
  }

  /**
   * {@code mem:name}, {@code [file:]path}, {@code tcp://host[:port]/path}, then {@code ;settings}.
   */
  private static DbConnectionInfo h2(String body) {
    Address address = Address.parse(body, "");
    if (address != null) {
      return address.toInfo(H2, 9092, null, stripStorageTypes(address.path));
    }
    return info(H2, null, null, UNKNOWN_PORT, stripStorageTypes(upTo(body, ";")));
  }

  /**
   * {@code thin:[user/password]@host[:port]:SID}, {@code @[//]host[:port]/service}, {@code
   * @tcps://host...}, {@code @(DESCRIPTION=...(HOST=h)(PORT=p)...(SERVICE_NAME=s))}.
   */
  private static DbConnectionInfo oracle(String body) {
    int descriptor = body.indexOf('(');
    int at = body.lastIndexOf('@', (descriptor < 0 ? body.length() : descriptor) - 1);
    if (at < 0) {
      return info(ORACLE, null, null, UNKNOWN_PORT, null);
    }
    String connect = body.substring(at + 1).trim();
    if (connect.startsWith("(")) {
      String service = keyValue(connect, "SERVICE_NAME");
      return info(
          ORACLE,
          keyValue(connect, "HOST"),
          keyValue(connect, "PORT"),
          1521,
          service != null ? service : keyValue(connect, "SID"));
    }
    if (startsWithIgnoreCase(connect, "ldap://") || startsWithIgnoreCase(connect, "ldaps://")) {
      // The directory server named here is not the database server.
      return info(ORACLE, null, null, UNKNOWN_PORT, null);
    }
    if (connect.startsWith("//")) {
      connect = connect.substring(2);
    } else if (startsWithIgnoreCase(connect, "tcp://")) {
      connect = connect.substring(6);
    } else if (startsWithIgnoreCase(connect, "tcps://")) {
      connect = connect.substring(7);
    }
    connect = upTo(connect, "?");
    int hostEnd;
    String host;
    if (connect.startsWith("[")) {
      int close = connect.indexOf(']');
      hostEnd = close < 0 ? connect.length() : close + 1;
      host = close < 0 ? null : connect.substring(1, close);
    } else {
      hostEnd = indexOfAny(connect, 0, ":/");
      host = connect.substring(0, hostEnd);
    }
    String port = null;
    String database = null;
    int i = hostEnd;
    if (i < connect.length() && connect.charAt(i) == ':') {
      int end = indexOfAny(connect, i + 1, ":/");
      String segment = connect.substring(i + 1, end);
      if (isDigits(segment)) {
        port = segment;
        i = end;
      } else {
        database = segment;
        i = connect.length();
      }
    }
    if (database == null && i < connect.length()) {
      // ":SID" after the port, or "/service" (EZConnect, followed by ":server" or "/instance")
      database = connect.substring(i + 1, indexOfAny(connect, i + 1, ":/"));
    }
    return info(ORACLE, host, port, 1521, database);
  }

  /**
   * {@code //host[\instance][:port][;property=value...]} with {@code serverName}, {@code
   * instanceName}, {@code portNumber}, {@code databaseName}/{@code database} properties. A named
   * instance without a port is found through the SQL Browser service, so its port is unknown.
   */
  private static DbConnectionInfo sqlServer(String body) {
    String rest = body.startsWith("//") ? body.substring(2) : body;
    Properties properties = new Properties(rest);
    String spec = properties.next() ? properties.segment : "";
    String host = null;
    String instance = null;
    String port = null;
    String database = null;
    if (!spec.contains("=")) {
      int colon = spec.indexOf(':');
      if (colon >= 0) {
        port = spec.substring(colon + 1);
        spec = spec.substring(0, colon);
      }
      int backslash = spec.indexOf('\\');
      if (backslash >= 0) {
        instance = spec.substring(backslash + 1);
        spec = spec.substring(0, backslash);
      }
      host = spec;
    } else {
      properties = new Properties(rest);
    }
    while (properties.next()) {
      String key = properties.key;
      String value = properties.value;
      if (value == null) {
        continue;
      }
      if (key.equalsIgnoreCase("serverName") && isBlank(host)) {
        int backslash = value.indexOf('\\');
        host = backslash < 0 ? value : value.substring(0, backslash);
        if (backslash >= 0 && instance == null) {
          instance = value.substring(backslash + 1);
        }
      } else if (key.equalsIgnoreCase("instanceName") && isBlank(instance)) {
        instance = value;
      } else if ((key.equalsIgnoreCase("portNumber") || key.equalsIgnoreCase("port"))
          && port == null) {
        port = value;
      } else if ((key.equalsIgnoreCase("databaseName") || key.equalsIgnoreCase("database"))
          && database == null) {
        database = value;
      }
    }
    return sqlServerInfo(host, instance, port, database);
  }

  /** {@code sqlserver://host[:port][/db][;instance=name...]}; {@code sybase://} is other_sql. */
  private static DbConnectionInfo jtds(String body) {
    if (!startsWithIgnoreCase(body, "sqlserver:")) {
      return networkOrNothing(OTHER_SQL, body, UNKNOWN_PORT, "");
    }
    Address address = Address.parse(body.substring("sqlserver:".length()), "");
    if (address == null) {
      return info(SQL_SERVER, null, null, UNKNOWN_PORT, null);
    }
    String instance = null;
    Properties properties = new Properties(address.parameters);
    while (properties.next()) {
      if (properties.key.equalsIgnoreCase("instance") && properties.value != null) {
        instance = properties.value;
      }
    }
    return sqlServerInfo(address.host, instance, address.port, address.path);
  }

  private static DbConnectionInfo sqlServerInfo(
      String host, String instance, String port, String database) {
    instance = isBlank(instance) ? null : instance.trim();
    int defaultPort = instance == null ? 1433 : UNKNOWN_PORT;
    String namespace =
        isBlank(database) ? null : instance == null ? database : instance + '|' + database.trim();
    return info(SQL_SERVER, host, port, defaultPort, namespace);
  }

  /** {@code mem:name}, {@code file:path}, {@code res:path}, {@code hsql[s]|http[s]://host/db}. */
  private static DbConnectionInfo hsqldb(String body) {
    Address address = Address.parse(body, "");
    if (address != null) {
      int defaultPort =
          startsWithIgnoreCase(body, "hsql:")
              ? 9001
              : startsWithIgnoreCase(body, "hsqls:")
                  ? 554
                  : startsWithIgnoreCase(body, "https:")
                      ? 443
                      : startsWithIgnoreCase(body, "http:") ? 80 : UNKNOWN_PORT;
      return address.toInfo(HSQLDB, defaultPort, null, address.path);
    }
    return info(HSQLDB, null, null, UNKNOWN_PORT, stripStorageTypes(upTo(body, ";")));
  }

  /** {@code [memory:|directory:|classpath:|jar:]name[;attributes]} or {@code //host[:port]/db}. */
  private static DbConnectionInfo derby(String body) {
    Address address = Address.parse(body, "");
    if (address != null) {
      return address.toInfo(DERBY, 1527, null, address.path);
    }
    return info(DERBY, null, null, UNKNOWN_PORT, stripStorageTypes(upTo(body, ";")));
  }

  /** {@code path}, {@code file:path?params}; in-memory databases have no namespace. */
  private static DbConnectionInfo sqlite(String body) {
    String path = upTo(body, "?");
    if (startsWithIgnoreCase(path, "file:")) {
      path = path.substring(5);
    }
    if (path.startsWith(":memory:") || path.isEmpty()) {
      path = null;
    }
    return info(SQLITE, null, null, UNKNOWN_PORT, path);
  }

  /** {@code //host[:port]/db[:properties;]} or a local catalog alias {@code db}. */
  private static DbConnectionInfo db2(String body) {
    Address address = Address.parse(body, ":");
    if (address != null) {
      return address.toInfo(DB2, 50000, null, address.path);
    }
    return info(DB2, null, null, UNKNOWN_PORT, upTo(body, ":;"));
  }

  private static DbConnectionInfo networkOrNothing(
      String system, String body, int defaultPort, String pathTerminators) {
    return networkOrNothing(system, body, defaultPort, pathTerminators, null);
  }

  private static DbConnectionInfo networkOrNothing(
      String system, String body, int defaultPort, String pathTerminators, String defaultHost) {
    Address address = Address.parse(body, pathTerminators);
    return address == null
        ? info(system, null, null, UNKNOWN_PORT, null)
        : address.toInfo(system, defaultPort, defaultHost, address.path);
  }

  /**
   * The one place values are accepted: a host that is not plausibly a host name or address is
   * dropped, and a port that is not a number drops the host too, since both mean the URL was split
   * in the wrong place (typically inside a credential).
   */
  private static DbConnectionInfo info(
      String system, String host, String portText, int defaultPort, String namespace) {
    host = host == null ? null : host.trim();
    if (host != null && !isPlausibleHost(host)) {
      host = null;
    }
    int port = UNKNOWN_PORT;
    if (host != null) {
      if (isBlank(portText)) {
        port = defaultPort;
      } else {
        port = parsePort(portText.trim());
        if (port == UNKNOWN_PORT) {
          host = null;
        }
      }
    }
    namespace = namespace == null ? null : namespace.trim();
    // '@' is a credential's host separator and '=' a property's: either in a database name means
    // the URL was split in the wrong place (a missing '?' or ';' before "password=..."), and the
    // name would carry the password into every span.
    if (namespace != null && (namespace.isEmpty() || namespace.indexOf('@') >= 0 || namespace.indexOf('=') >= 0)) {
      namespace = null;
    }
    return new DbConnectionInfo(system, namespace, host, port);
  }

  /** Drops H2, HSQLDB and Derby storage prefixes ({@code mem:}, {@code split:nio:}, ...). */
  private static String stripStorageTypes(String path) {
    if (path == null) {
      return null;
    }
    // Two letters at least, so that a Windows drive (C:/data) is kept.
    int start = 0;
    while (true) {
      int end = start;
      while (end < path.length() && Character.isLetter(path.charAt(end))) {
        end++;
      }
      if (end - start < 2 || end >= path.length() || path.charAt(end) != ':') {
        return path.substring(start);
      }
      start = end + 1;
    }
  }

  /**
   * The value of {@code key=value} in {@code (k=v)(k=v)} or {@code (k=v,k=v)} lists, key ignoring
   * case and spaces around it; the first match wins.
   */
  static String keyValue(String text, String key) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c != '(' && c != ',') {
        continue;
      }
      int j = skipSpaces(text, i + 1);
      if (!text.regionMatches(true, j, key, 0, key.length())) {
        continue;
      }
      j = skipSpaces(text, j + key.length());
      if (j >= length || text.charAt(j) != '=') {
        continue;
      }
      String value = text.substring(j + 1, indexOfAny(text, j + 1, "(),")).trim();
      return value.isEmpty() ? null : value;
    }
    return null;
  }

  private static boolean isPlausibleHost(String host) {
    if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
      return false;
    }
    if (host.indexOf(':') >= 0 && !isIpv6Literal(host)) {
      return false; // "user:password:host": a colon outside an IPv6 literal splits a credential
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || HOST_PUNCTUATION.indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /** Hex digits, colons and dots (an embedded IPv4), then an optional {@code %zone}. */
  private static boolean isIpv6Literal(String host) {
    int zone = host.indexOf('%');
    int end = zone < 0 ? host.length() : zone;
    for (int i = 0; i < end; i++) {
      char c = host.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static int parsePort(String text) {
    if (!isDigits(text) || text.length() > 5) {
      return UNKNOWN_PORT;
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65535 ? port : UNKNOWN_PORT;
  }

  private static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(String text) {
    return text == null || text.trim().isEmpty();
  }

  private static boolean startsWithIgnoreCase(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static String upTo(String text, String terminators) {
    return text.substring(0, indexOfAny(text, 0, terminators));
  }

  /** The first index at or after {@code from} of any of {@code chars}, or the text length. */
  private static int indexOfAny(String text, int from, String chars) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return text.length();
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /**
   * The parts of {@code [subtype:]//[userinfo@]host[:port][,more hosts][/path][?|;|#rest]}.
   * Userinfo ends at the last {@code @} before the path, as in RFC 3986, and is discarded;
   * parentheses (MySQL {@code address=(...)} hosts) are skipped as a whole.
   */
  private static final class Address {

    final String host;
    final String port;
    final String path;

    /** What follows the path: query string or {@code ;properties}, without the separator. */
    final String parameters;

    private Address(String host, String port, String path, String parameters) {
      this.host = host;
      this.port = port;
      this.path = path;
      this.parameters = parameters;
    }

    /**
     * Null unless {@code body} is {@code //...}, optionally after subtype words such as {@code
     * loadbalance:} or {@code tcp:}. {@code pathTerminators} end the path in addition to {@code ?},
     * {@code ;} and {@code #}.
     */
    static Address parse(String body, String pathTerminators) {
      int slashes = body.indexOf("//");
      if (slashes < 0) {
        return null;
      }
      for (int i = 0; i < slashes; i++) {
        char c = body.charAt(i);
        if (!(Character.isLetterOrDigit(c) || c == ':' || c == '+' || c == '-' || c == '_')) {
          return null;
        }
      }
      String rest = body.substring(slashes + 2);
      int length = rest.length();
      int depth = 0;
      int parametersStart = length;
      int pathStart = -1;
      int lastAt = -1;
      for (int i = 0; i < length; i++) {
        char c = rest.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth = Math.max(0, depth - 1);
        } else if (depth == 0 && (c == '?' || c == ';' || c == '#')) {
          parametersStart = i;
          break;
        } else if (depth == 0 && pathStart < 0) {
          if (c == '@') {
            lastAt = i;
          } else if (c == '/') {
            pathStart = i;
          }
        }
      }
      int authorityEnd = pathStart < 0 ? parametersStart : pathStart;
      String[] hostAndPort = firstHost(rest.substring(lastAt + 1, authorityEnd));
      String path = null;
      if (pathStart >= 0) {
        int pathEnd = Math.min(parametersStart, indexOfAny(rest, pathStart + 1, pathTerminators));
        path = rest.substring(pathStart + 1, pathEnd);
      }
      String parameters = parametersStart < length ? rest.substring(parametersStart + 1) : "";
      return new Address(hostAndPort[0], hostAndPort[1], path, parameters);
    }

    DbConnectionInfo toInfo(String system, int defaultPort, String defaultHost, String namespace) {
      String effectiveHost = isBlank(host) && port == null ? defaultHost : host;
      return info(system, effectiveHost, port, defaultPort, namespace);
    }

    /** The first of possibly several hosts, as {@code {host, port}}; either may be null. */
    private static String[] firstHost(String authority) {
      String hosts = authority.trim();
      // MySQL groups hosts in brackets, [h1:3306,h2:3307]; an IPv6 literal has two colons at least.
      while (hosts.startsWith("[")) {
        int close = hosts.indexOf(']');
        if (close < 0) {
          return new String[2];
        }
        String inside = hosts.substring(1, close);
        boolean group =
            inside.indexOf(',') >= 0
                || inside.indexOf('=') >= 0
                || inside.indexOf(':') == inside.lastIndexOf(':');
        if (group) {
          hosts = inside.trim();
          continue;
        }
        String afterBracket = hosts.substring(close + 1);
        String port = afterBracket.startsWith(":") ? upTo(afterBracket.substring(1), ",") : null;
        return new String[] {inside, port};
      }
      if (startsWithIgnoreCase(hosts, "address=") || hosts.startsWith("(")) {
        return new String[] {keyValue(hosts, "host"), keyValue(hosts, "port")};
      }
      String first = upTo(hosts, ",");
      int colon = first.indexOf(':');
      if (colon < 0 || first.indexOf(':', colon + 1) >= 0) {
        // No port, or an IPv6 literal written without brackets.
        return new String[] {first, null};
      }
      return new String[] {first.substring(0, colon), first.substring(colon + 1)};
    }
  }

  /**
   * Reads {@code segment} or {@code key=value} items separated by {@code ;}, where a value in
   * braces ({@code password={a;b}}, with {@code }}} for a brace) may hold semicolons.
   */
  private static final class Properties {

    private final String text;
    private int position;
    String segment;
    String key;
    String value;

    Properties(String text) {
      this.text = text == null ? "" : text;
    }

    boolean next() {
      int length = text.length();
      while (position < length && text.charAt(position) == ';') {
        position++;
      }
      if (position >= length) {
        return false;
      }
      int start = position;
      int equals = -1;
      int i = start;
      while (i < length && text.charAt(i) != ';') {
        if (text.charAt(i) == '=') {
          equals = i;
          break;
        }
        i++;
      }
      if (equals < 0) {
        segment = text.substring(start, i);
        key = segment.trim();
        value = null;
        position = i;
        return true;
      }
      key = text.substring(start, equals).trim();
      int valueStart = skipSpaces(text, equals + 1);
      if (valueStart < length && text.charAt(valueStart) == '{') {
        StringBuilder braced = new StringBuilder();
        int j = valueStart + 1;
        while (j < length) {
          char c = text.charAt(j);
          if (c == '}') {
            if (j + 1 < length && text.charAt(j + 1) == '}') {
              braced.append('}');
              j += 2;
              continue;
            }
            j++;
            break;
          }
          braced.append(c);
          j++;
        }
        value = braced.toString();
        position = indexOfAny(text, j, ";");
      } else {
        int end = indexOfAny(text, valueStart, ";");
        value = text.substring(valueStart, end).trim();
        position = end;
      }
      segment = text.substring(start, position);
      return true;
    }
  }
}
