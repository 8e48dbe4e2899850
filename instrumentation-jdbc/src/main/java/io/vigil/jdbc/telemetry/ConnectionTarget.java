package io.vigil.jdbc.telemetry;

import io.vigil.jdbc.sql.DbConnectionInfo;

/** Where a connection goes and its system's caches; cached weakly per connection. Immutable. */
final class ConnectionTarget {

  final DbConnectionInfo info;
  final DbSystem system;
  /** The span name when a statement's operation is unknown: the namespace, else the system. */
  final String fallbackSpanName;

  ConnectionTarget(DbConnectionInfo info, DbSystem system) {
    this.info = info;
    this.system = system;
    this.fallbackSpanName = info.namespace() != null ? info.namespace() : info.systemName();
  }
}
