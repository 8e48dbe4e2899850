package io.vigil.jdbc.telemetry;

import io.prometheus.client.Histogram;
import io.vigil.api.metrics.StatementTotals;
import io.vigil.jdbc.sql.SanitizedSql;
import io.vigil.jdbc.sql.SanitizedSqlCache;
import io.vigil.jdbc.sql.SqlDialect;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the handler keeps per {@code db.system.name}: the sanitized-statement cache in that system's
 * dialect, and per statement its success-path histogram child with its {@link StatementTotals}
 * entry, so that a repeated statement costs two map hits, an {@code observe()} and three adds.
 */
final class DbSystem {

  /** Statements whose sanitized form is cached, per system. */
  static final int SQL_CACHE_SIZE = 2048;

  /** Statements whose success child is kept, per system; beyond, children are looked up by labels. */
  static final int MAX_SUCCESS_CHILDREN = 4096;

  final String name;
  final SanitizedSqlCache sqlCache;
  private final DbClientMetrics metrics;
  private final StatementTotals totals;
  private final ConcurrentHashMap<SanitizedSql, StatementRecorder> successChildren =
      new ConcurrentHashMap<SanitizedSql, StatementRecorder>();

  DbSystem(String name, DbClientMetrics metrics, StatementTotals totals) {
    this.name = name;
    this.metrics = metrics;
    this.totals = totals;
    this.sqlCache =
        new SanitizedSqlCache(
            SQL_CACHE_SIZE,
            SanitizedSqlCache.DEFAULT_MAX_CACHED_SQL_LENGTH,
            SqlDialect.forSystem(name));
  }

  /** The success child and the totals entry of {@code sql}, found by one lookup once cached. */
  StatementRecorder statement(SanitizedSql sql) {
    StatementRecorder recorder = successChildren.get(sql);
    if (recorder != null) {
      return recorder;
    }
    recorder = new StatementRecorder(
        metrics.child(name, sql.operation(), sql.collection(), ""),
        totals.statement(name, sql.text(), sql.operation(), sql.collection()));
    if (successChildren.size() < MAX_SUCCESS_CHILDREN) {
      StatementRecorder raced = successChildren.putIfAbsent(sql, recorder);
      return raced == null ? recorder : raced;
    }
    return recorder;
  }

  Histogram.Child errorChild(SanitizedSql sql, String errorType) {
    return metrics.child(name, sql.operation(), sql.collection(), errorType);
  }
}
