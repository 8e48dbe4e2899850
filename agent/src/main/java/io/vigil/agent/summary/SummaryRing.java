package io.vigil.agent.summary;

import java.util.Arrays;

/**
 * The last 24 hours in aggregates, bounded by construction:
 *
 * <ul>
 *   <li>per minute, for the last {@value #MINUTE_SLOTS} minutes: the rows of every route,
 *       statement, pool and error group that changed in that minute ({@link Rows});
 *   <li>per hour, for the {@value #HOUR_SLOTS} hours before: the same rows merged, one slot per
 *       hour, filled as minutes age out of the minute slots;
 *   <li>per minute, for all {@value #TIMELINE_MINUTES} minutes: the service totals (requests,
 *       errors, the HTTP buckets, the span counters) as ints, the timeline.
 * </ul>
 *
 * Minutes are epoch minute numbers. Not thread-safe: {@link SummaryService} serializes access.
 */
final class SummaryRing {

  static final int MINUTE_SLOTS = 60;
  static final int HOUR_SLOTS = 24;
  static final int TIMELINE_MINUTES = 1440;

  /** The route columns, then the span counters of {@link Readings#agent}. */
  static final int TOTAL_STRIDE = RouteColumns.STRIDE + 3;

  private final long[] minuteOf = new long[MINUTE_SLOTS];
  private final Rows[][] minutes = new Rows[MINUTE_SLOTS][];
  private final long[] hourOf = new long[HOUR_SLOTS];
  private final Rows[][] hours = new Rows[HOUR_SLOTS][];
  private final long[] totalsMinuteOf = new long[TIMELINE_MINUTES];
  private final int[] totals = new int[TIMELINE_MINUTES * TOTAL_STRIDE];

  SummaryRing() {
    Arrays.fill(totalsMinuteOf, Long.MIN_VALUE);
  }

  /** Stores what changed in {@code minute}, adding to what the minute already holds. */
  void record(long minute, MinuteDelta delta) {
    expire(minute);
    int slot = (int) Math.floorMod(minute, (long) MINUTE_SLOTS);
    if (minutes[slot] != null && minuteOf[slot] == minute) {
      minutes[slot] = plus(minutes[slot], delta.rows);
    } else {
      if (minutes[slot] != null) {
        toHour(slot);
      }
      minuteOf[slot] = minute;
      minutes[slot] = delta.rows;
    }
    int at = (int) Math.floorMod(minute, (long) TIMELINE_MINUTES);
    if (totalsMinuteOf[at] != minute) {
      totalsMinuteOf[at] = minute;
      Arrays.fill(totals, at * TOTAL_STRIDE, (at + 1) * TOTAL_STRIDE, 0);
    }
    long[] minuteTotals = totals(delta);
    for (int column = 0; column < TOTAL_STRIDE; column++) {
      long sum = totals[at * TOTAL_STRIDE + column] + minuteTotals[column];
      totals[at * TOTAL_STRIDE + column] = (int) Math.min(Integer.MAX_VALUE, sum);
    }
  }

  /**
   * Sums minutes {@code firstMinute} to {@code nowMinute}, the current minute's stored part plus
   * {@code live} (what happened since the last snapshot). For a window past the minute slots
   * {@code firstMinute} must be on an hour, so that each hourly slot is in or out as a whole.
   */
  WindowSums sum(long firstMinute, long nowMinute, MinuteDelta live, int pointMinutes) {
    WindowSums sums = new WindowSums();
    for (int slot = 0; slot < MINUTE_SLOTS; slot++) {
      if (minutes[slot] != null && minuteOf[slot] >= firstMinute && minuteOf[slot] <= nowMinute) {
        sums.add(minutes[slot]);
      }
    }
    for (int slot = 0; slot < HOUR_SLOTS; slot++) {
      if (hours[slot] != null && hourOf[slot] * 60 >= firstMinute && hourOf[slot] * 60 <= nowMinute) {
        sums.add(hours[slot]);
      }
    }
    sums.add(live.rows);
    long[] liveTotals = totals(live);
    WindowSums.Point point = null;
    for (long minute = firstMinute; minute <= nowMinute; minute++) {
      if (point == null || minute >= point.firstMinute + pointMinutes) {
        point = new WindowSums.Point(minute, pointMinutes);
        sums.timeline.add(point);
      }
      int at = (int) Math.floorMod(minute, (long) TIMELINE_MINUTES);
      if (totalsMinuteOf[at] == minute) {
        for (int column = 0; column < TOTAL_STRIDE; column++) {
          point.totals[column] += totals[at * TOTAL_STRIDE + column];
        }
      }
      if (minute == nowMinute) {
        for (int column = 0; column < TOTAL_STRIDE; column++) {
          point.totals[column] += liveTotals[column];
        }
      }
    }
    for (WindowSums.Point each : sums.timeline) {
      for (int column = 0; column < TOTAL_STRIDE; column++) {
        sums.totals[column] += each.totals[column];
      }
    }
    return sums;
  }

  /** Minute slots older than the last hour go to their hour; hours older than a day are dropped. */
  private void expire(long minute) {
    for (int slot = 0; slot < MINUTE_SLOTS; slot++) {
      if (minutes[slot] != null && minuteOf[slot] <= minute - MINUTE_SLOTS) {
        toHour(slot);
      }
    }
    for (int slot = 0; slot < HOUR_SLOTS; slot++) {
      if (hours[slot] != null && (hourOf[slot] + 1) * 60 <= minute - TIMELINE_MINUTES) {
        hours[slot] = null;
      }
    }
  }

  private void toHour(int minuteSlot) {
    long hour = Math.floorDiv(minuteOf[minuteSlot], 60L);
    int slot = (int) Math.floorMod(hour, (long) HOUR_SLOTS);
    if (hours[slot] != null && hourOf[slot] == hour) {
      hours[slot] = plus(hours[slot], minutes[minuteSlot]);
    } else {
      hourOf[slot] = hour;
      hours[slot] = minutes[minuteSlot];
    }
    minutes[minuteSlot] = null;
  }

  private static Rows[] plus(Rows[] a, Rows[] b) {
    Rows[] sum = new Rows[a.length];
    for (int kind = 0; kind < a.length; kind++) {
      sum[kind] = a[kind].plus(b[kind]);
    }
    return sum;
  }

  /** The service totals of one delta: its routes summed, then the span counters. */
  static long[] totals(MinuteDelta delta) {
    long[] sum = new long[TOTAL_STRIDE];
    Rows routes = delta.rows[Readings.ROUTES];
    for (int row = 0; row < routes.size(); row++) {
      for (int column = 0; column < RouteColumns.STRIDE; column++) {
        sum[column] += routes.value(row, column);
      }
    }
    System.arraycopy(delta.agent, 0, sum, RouteColumns.STRIDE, delta.agent.length);
    return sum;
  }

  /** For the memory test and the caps: rows held in minute and hour slots. */
  int heldRows() {
    int held = 0;
    for (Rows[] slot : minutes) {
      held += rows(slot);
    }
    for (Rows[] slot : hours) {
      held += rows(slot);
    }
    return held;
  }

  private static int rows(Rows[] slot) {
    int held = 0;
    if (slot != null) {
      for (Rows rows : slot) {
        held += rows.size();
      }
    }
    return held;
  }
}
