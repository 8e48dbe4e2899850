package io.vigil.jdbc.telemetry;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where slow statements are reported; {@link #SLF4J} writes one line to the agent's log. */
public interface SlowQueryLog {

  /**
   * One statement took {@code nanos}, at least the threshold. {@code sql} is sanitized; {@code
   * traceId} / {@code spanId} are the statement's span, or null when it is not traced.
   */
  void slowQuery(
      String system, String namespace, String sql, long nanos, long thresholdNanos, String traceId, String spanId);

  SlowQueryLog SLF4J =
      new SlowQueryLog() {
        private final Logger log = LoggerFactory.getLogger("io.vigil.jdbc.SlowQuery");

        @Override
        public void slowQuery(
            String system, String namespace, String sql, long nanos, long thresholdNanos, String traceId,
            String spanId) {
          log.warn(
              "Slow JDBC statement: {} ms (threshold {} ms) db.system.name={} db.namespace={} trace_id={}"
                  + " span_id={} sql: {}",
              millis(nanos), millis(thresholdNanos), system, namespace, traceId == null ? "-" : traceId,
              spanId == null ? "-" : spanId, sql);
        }
      };

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0);
  }
}
