package io.vigil.agent.summary;

import java.util.HashMap;
import java.util.Map;

/**
 * The cumulative values of every series the summary follows, read at one instant, and the pools'
 * current gauges. Deltas between two readings are what the ring stores.
 */
final class Readings {

  static final int ROUTES = 0;
  static final int STATEMENTS = 1;
  static final int POOLS = 2;
  static final int ERROR_GROUPS = 3;
  static final int KINDS = 4;

  /** Values per series of each kind. */
  static final int[] STRIDES = {RouteColumns.STRIDE, 3, 1, 1};

  static final int SPANS_EXPORTED = 0;
  static final int SPANS_DROPPED = 1;
  static final int EXPORT_FAILURES = 2;

  /** Per statement: executions, failed executions, nanoseconds. */
  static final int STATEMENT_COUNT = 0;
  static final int STATEMENT_ERRORS = 1;
  static final int STATEMENT_NANOS = 2;

  /** Per pool now: connections in use, idle, threads waiting, the most the pool opens. */
  static final int POOL_ACTIVE = 0;
  static final int POOL_IDLE = 1;
  static final int POOL_PENDING = 2;
  static final int POOL_MAX = 3;

  @SuppressWarnings("unchecked")
  final Map<Object, long[]>[] series = new Map[KINDS];

  /** The agent's span counters, by the constants above. */
  final long[] agent = new long[3];

  /** Pool name to its gauges now; not part of the ring. */
  final Map<String, long[]> poolGauges = new HashMap<String, long[]>();

  Readings() {
    for (int kind = 0; kind < KINDS; kind++) {
      series[kind] = new HashMap<Object, long[]>();
    }
  }

  /** The series' values, created at zero. */
  long[] of(int kind, Object key) {
    long[] values = series[kind].get(key);
    if (values == null) {
      values = new long[STRIDES[kind]];
      series[kind].put(key, values);
    }
    return values;
  }
}
