package io.vigil.jdbc.telemetry;

import io.prometheus.client.Histogram;
import io.vigil.jdbc.sql.SanitizedSql;
import io.vigil.jdbc.sql.SanitizedSqlCache;
import io.vigil.jdbc.sql.SqlDialect;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the handler keeps per {@code db.system.name}: the sanitized-statement cache in that system's
 * dialect, and the success-path histogram child of each statement, so that a repeated statement
 * costs two map hits and an {@code observe()}.
 */
final class DbSystem {

  /** Statements whose sanitized form is cached, per system. */
  static final int SQL_CACHE_SIZE = 2048;

  /** Statements whose success child is kept, per system; beyond, children are looked up by labels. */
  static final int MAX_SUCCESS_CHILDREN = 4096;

  final String name;
  final SanitizedSqlCache sqlCache;
  private final DbClientMetrics metrics;
  private final ConcurrentHashMap<SanitizedSql, Histogram.Child> successChildren =
      new ConcurrentHashMap<SanitizedSql, Histogram.Child>();

  DbSystem(String name, DbClientMetrics metrics) {
    this.name = name;
    this.metrics = metrics;
    this.sqlCache =
        new SanitizedSqlCache(
            SQL_CACHE_SIZE,
            SanitizedSqlCache.DEFAULT_MAX_CACHED_SQL_LENGTH,
            SqlDialect.forSystem(name));
  }

  /** The child for a successful execution of {@code sql}. */
  Histogram.Child successChild(SanitizedSql sql) {
    Histogram.Child child = successChildren.get(sql);
    if (child != null) {
      return child;
    }
    child = metrics.child(name, sql.operation(), sql.collection(), "");
    if (successChildren.size() < MAX_SUCCESS_CHILDREN) {
      successChildren.putIfAbsent(sql, child);
    }
    return child;
  }

  Histogram.Child errorChild(SanitizedSql sql, String errorType) {
    return metrics.child(name, sql.operation(), sql.collection(), errorType);
  }
}
