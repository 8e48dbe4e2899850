package io.vigil.agent.summary;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The cumulative values at the last minute's snapshot, per series, with the one key object per
 * series that every slot refers to (a fresh reading brings fresh strings; keeping those in each
 * slot would cost a copy of every key per minute).
 *
 * <p>A series first seen counts from zero, so what happened before the first snapshot lands in the
 * first minute. A value lower than before (an error group evicted and seen again) counts from zero
 * too, as Prometheus treats a counter reset.
 */
final class Baseline {

  private static final class Series {
    final Object key;
    final long[] values;

    Series(Object key, long[] values) {
      this.key = key;
      this.values = values;
    }
  }

  @SuppressWarnings("unchecked")
  private final Map<Object, Series>[] series = new Map[Readings.KINDS];
  private final long[] agent = new long[3];

  Baseline() {
    for (int kind = 0; kind < Readings.KINDS; kind++) {
      series[kind] = new HashMap<Object, Series>();
    }
  }

  /**
   * The change from this baseline to {@code now}; with {@code advance}, {@code now} becomes the
   * baseline and series no longer read are forgotten.
   */
  MinuteDelta delta(Readings now, boolean advance) {
    Rows[] rows = new Rows[Readings.KINDS];
    for (int kind = 0; kind < Readings.KINDS; kind++) {
      rows[kind] = delta(kind, now.series[kind], advance);
    }
    long[] agentDelta = new long[agent.length];
    for (int i = 0; i < agent.length; i++) {
      agentDelta[i] = increase(agent[i], now.agent[i]);
      if (advance) {
        agent[i] = now.agent[i];
      }
    }
    return new MinuteDelta(rows, agentDelta);
  }

  private Rows delta(int kind, Map<Object, long[]> now, boolean advance) {
    int stride = Readings.STRIDES[kind];
    Map<Object, Series> known = series[kind];
    Rows.Builder changed = new Rows.Builder(stride);
    long[] difference = new long[stride];
    for (Map.Entry<Object, long[]> entry : now.entrySet()) {
      long[] current = entry.getValue();
      Series before = known.get(entry.getKey());
      boolean moved = false;
      for (int column = 0; column < stride; column++) {
        difference[column] = increase(before == null ? 0 : before.values[column], current[column]);
        moved |= difference[column] != 0;
      }
      Object key = before == null ? entry.getKey() : before.key;
      if (moved) {
        changed.add(key, difference);
      }
      if (advance) {
        if (before == null) {
          known.put(key, new Series(key, current.clone()));
        } else {
          System.arraycopy(current, 0, before.values, 0, stride);
        }
      }
    }
    if (advance) {
      for (Iterator<Object> keys = known.keySet().iterator(); keys.hasNext(); ) {
        if (!now.containsKey(keys.next())) {
          keys.remove();
        }
      }
    }
    return changed.build();
  }

  private static long increase(long before, long now) {
    return now >= before ? now - before : now;
  }
}
