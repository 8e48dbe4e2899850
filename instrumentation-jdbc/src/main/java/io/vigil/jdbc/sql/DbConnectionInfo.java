package io.vigil.jdbc.sql;

/**
 * Where a JDBC connection goes, as the OpenTelemetry semantic conventions name it: {@code
 * db.system.name}, {@code db.namespace}, {@code server.address} and {@code server.port}.
 *
 * <p>Read from the JDBC URL by {@link JdbcUrlParser}; never holds a user name, password or other
 * connection property. Immutable.
 */
public final class DbConnectionInfo {

  public static final String POSTGRESQL = "postgresql";
  public static final String MYSQL = "mysql";
  public static final String MARIADB = "mariadb";
  public static final String H2 = "h2database";
  public static final String ORACLE = "oracle.db";
  public static final String SQL_SERVER = "microsoft.sql_server";
  public static final String HSQLDB = "hsqldb";
  public static final String DERBY = "derby";
  public static final String SQLITE = "sqlite";
  public static final String DB2 = "ibm.db2";
  public static final String OTHER_SQL = "other_sql";

  /** The port when the URL names none and the system has no fixed default, or has no server. */
  public static final int UNKNOWN_PORT = -1;

  static final DbConnectionInfo UNKNOWN = new DbConnectionInfo(OTHER_SQL, null, null, UNKNOWN_PORT);

  private final String systemName;
  private final String namespace;
  private final String serverAddress;
  private final int serverPort;
  private final Long serverPortAttribute;

  DbConnectionInfo(String systemName, String namespace, String serverAddress, int serverPort) {
    this.systemName = systemName;
    this.namespace = namespace;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    this.serverPortAttribute = serverPort == UNKNOWN_PORT ? null : Long.valueOf(serverPort);
  }

  /** The {@code db.system.name} value; {@link #OTHER_SQL} when the URL is not recognised. */
  public String systemName() {
    return systemName;
  }

  /**
   * The database: its name, the file path or in-memory name of an embedded database, the Oracle
   * service name or SID, or {@code instance|database} for a named SQL Server instance; null when
   * the URL does not say.
   */
  public String namespace() {
    return namespace;
  }

  /** The host name or IP address (IPv6 without brackets); null for embedded databases. */
  public String serverAddress() {
    return serverAddress;
  }

  /**
   * The port: as written, else the system's default when a host is known, else {@link
   * #UNKNOWN_PORT}.
   */
  public int serverPort() {
    return serverPort;
  }

  /** {@link #serverPort} boxed once, as the span attribute takes it; null when unknown. */
  public Long serverPortAttribute() {
    return serverPortAttribute;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof DbConnectionInfo)) {
      return false;
    }
    DbConnectionInfo that = (DbConnectionInfo) other;
    return serverPort == that.serverPort
        && systemName.equals(that.systemName)
        && equalOrBothNull(namespace, that.namespace)
        && equalOrBothNull(serverAddress, that.serverAddress);
  }

  @Override
  public int hashCode() {
    int hash = systemName.hashCode();
    hash = 31 * hash + (namespace == null ? 0 : namespace.hashCode());
    hash = 31 * hash + (serverAddress == null ? 0 : serverAddress.hashCode());
    return 31 * hash + serverPort;
  }

  @Override
  public String toString() {
    return "DbConnectionInfo{system="
        + systemName
        + ", namespace="
        + namespace
        + ", address="
        + serverAddress
        + ", port="
        + serverPort
        + '}';
  }

  private static boolean equalOrBothNull(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }
}
