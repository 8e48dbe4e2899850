package io.vigil.jdbc.telemetry;

import io.vigil.jdbc.sql.SanitizedSql;
import io.vigil.jdbc.sql.SqlSanitizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the handler remembers about one statement, weakly keyed by it: the SQL it was prepared with
 * and the batch being built. JDBC statements are not shared between threads while in use, so the
 * batch fields are plain; a statement misused by two threads at once can only miscount its batch.
 */
final class StatementState {

  /** SQL texts of a plain statement's batch kept for its description; the count goes on. */
  static final int MAX_BATCH_TEXTS = 1000;

  /** Null for a plain statement (its connection is asked at execution). */
  final ConnectionTarget target;
  /** The prepared SQL, sanitized; null for a plain statement. */
  final SanitizedSql sql;

  private SanitizedSql asBatch;
  int batchCount;
  List<String> batchTexts;

  StatementState(ConnectionTarget target, SanitizedSql sql) {
    this.target = target;
    this.sql = sql;
  }

  void added(String text) {
    batchCount++;
    if (text != null) {
      if (batchTexts == null) {
        batchTexts = new ArrayList<String>();
      }
      if (batchTexts.size() < MAX_BATCH_TEXTS) {
        batchTexts.add(text);
      }
    }
  }

  void clearBatch() {
    batchCount = 0;
    batchTexts = null;
  }

  /** The prepared statement executed as a batch of two or more ({@code BATCH INSERT ...}). */
  SanitizedSql preparedBatch() {
    SanitizedSql batch = asBatch;
    if (batch == null) {
      batch = SqlSanitizer.batch(Collections.nCopies(2, sql));
      asBatch = batch;
    }
    return batch;
  }
}
