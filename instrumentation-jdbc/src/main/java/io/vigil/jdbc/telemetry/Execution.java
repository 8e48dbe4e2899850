package io.vigil.jdbc.telemetry;

import io.opentelemetry.api.trace.Span;
import io.vigil.jdbc.sql.SanitizedSql;

/** One execution in flight, from the enter advice to the exit advice of the outermost call. */
final class Execution {

  final ConnectionTarget target;
  final SanitizedSql sql;
  final int batchSize;
  final long startNanos;
  /** Null while the span waits for the statement's duration ({@code jdbc.span.min-duration}). */
  final Span span;

  Execution(ConnectionTarget target, SanitizedSql sql, int batchSize, long startNanos, Span span) {
    this.target = target;
    this.sql = sql;
    this.batchSize = batchSize;
    this.startNanos = startNanos;
    this.span = span;
  }
}
