package io.vigil.jdbc.sql;

/**
 * The lexical differences between SQL dialects that decide whether text leaks: what a double-quoted
 * run is, and whether a backslash escapes a quote in a string literal.
 */
public enum SqlDialect {

  /**
   * The SQL standard, as PostgreSQL, Oracle, SQL Server, H2, HSQLDB, Derby, Db2 and SQLite have it:
   * double quotes delimit identifiers ({@code "Weird Name"} is kept), and a backslash is an
   * ordinary character, so {@code ESCAPE '\'} and {@code 'C:\'} are complete strings. A MySQL style
   * {@code \'} is still read as an escape where a letter, digit or quote follows it ({@code
   * 'it\'s'}), since no standard string can go on that way; PostgreSQL {@code E'..'} strings always
   * read backslash escapes.
   */
  STANDARD,

  /**
   * MySQL and MariaDB in their default modes: double quotes delimit string literals too ({@code
   * "alice"} becomes {@code ?}) and a backslash always escapes the next character. Under {@code
   * ANSI_QUOTES} this only loses identifier names, never leaks values, which is why it is the
   * choice for these systems.
   */
  MYSQL;

  /**
   * The dialect for a {@code db.system.name} value as {@link DbConnectionInfo#systemName()} reports
   * it: {@link #MYSQL} for MySQL and MariaDB, {@link #STANDARD} for anything else, including null.
   */
  public static SqlDialect forSystem(String dbSystemName) {
    return DbConnectionInfo.MYSQL.equals(dbSystemName)
            || DbConnectionInfo.MARIADB.equals(dbSystemName)
        ? MYSQL
        : STANDARD;
  }
}
