package io.vigil.jdbc.telemetry;

import io.prometheus.client.Histogram;
import io.vigil.api.metrics.StatementTotals;

/** What one execution of a statement records to, kept per sanitized statement by {@link DbSystem}. */
final class StatementRecorder {

  final Histogram.Child success;
  final StatementTotals.Statement totals;

  StatementRecorder(Histogram.Child success, StatementTotals.Statement totals) {
    this.success = success;
    this.totals = totals;
  }
}
