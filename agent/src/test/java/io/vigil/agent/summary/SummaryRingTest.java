package io.vigil.agent.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ring fed by hand-made cumulative readings, minute by minute. */
class SummaryRingTest {

  private static final long T0 = 29_000_000L;

  private final SummaryRing ring = new SummaryRing();
  private final Baseline baseline = new Baseline();
  /** The cumulative values the "metrics" hold now. */
  private final Map<String, long[]> routes = new HashMap<>();
  private final long[] agent = new long[3];

  /** {@code count} requests on {@code route}, {@code errors} of them failed, all in the 0.01 s bucket. */
  private void requests(String route, long count, long errors) {
    long[] row = routes.computeIfAbsent(route, r -> new long[RouteColumns.STRIDE]);
    row[RouteColumns.REQUESTS] += count;
    row[RouteColumns.ERRORS] += errors;
    for (int column = RouteColumns.bucketColumn(0.01); column < RouteColumns.STRIDE; column++) {
      row[column] += count;
    }
  }

  private Readings reading() {
    Readings readings = new Readings();
    for (Map.Entry<String, long[]> route : routes.entrySet()) {
      // A fresh string each time, as a fresh read of the registry brings.
      System.arraycopy(route.getValue(), 0, readings.of(Readings.ROUTES, new String(route.getKey())), 0,
          RouteColumns.STRIDE);
    }
    System.arraycopy(agent, 0, readings.agent, 0, 3);
    return readings;
  }

  private void snapshot(long minute) {
    ring.record(minute, baseline.delta(reading(), true));
  }

  private WindowSums sum(long first, long now) {
    return ring.sum(first, now, baseline.delta(reading(), false), 1);
  }

  private static long requestsOf(WindowSums sums, String route) {
    long[] row = sums.series[Readings.ROUTES].get(route);
    return row == null ? 0 : row[RouteColumns.REQUESTS];
  }

  @Test
  void storesTheDeltaOfEachMinuteAndTheLiveMinuteOnTop() {
    requests("GET\0/a", 10, 1);
    snapshot(T0);
    requests("GET\0/a", 5, 0);
    snapshot(T0 + 1);
    requests("GET\0/a", 2, 2);
    agent[Readings.SPANS_EXPORTED] = 40;
    // Minute T0+2 is running: its 2 requests are live, not stored yet.
    WindowSums sums = sum(T0, T0 + 2);
    assertEquals(17, requestsOf(sums, "GET\0/a"));
    assertEquals(3, sums.series[Readings.ROUTES].get("GET\0/a")[RouteColumns.ERRORS]);
    assertEquals(17, sums.totals[RouteColumns.REQUESTS]);
    assertEquals(3, sums.totals[RouteColumns.ERRORS]);
    assertEquals(40, sums.totals[RouteColumns.STRIDE + Readings.SPANS_EXPORTED]);
    assertEquals(3, sums.timeline.size());
    assertEquals(10, sums.timeline.get(0).totals[RouteColumns.REQUESTS]);
    assertEquals(5, sums.timeline.get(1).totals[RouteColumns.REQUESTS]);
    assertEquals(2, sums.timeline.get(2).totals[RouteColumns.REQUESTS]);
    assertEquals(T0 + 2, sums.timeline.get(2).firstMinute);
    // A window starting later leaves the earlier minutes out.
    assertEquals(7, requestsOf(sum(T0 + 1, T0 + 2), "GET\0/a"));
  }

  @Test
  void onlySeriesThatChangedAreStoredAndKeysAreSharedBetweenSlots() {
    requests("GET\0/a", 1, 0);
    requests("GET\0/b", 1, 0);
    snapshot(T0);
    assertEquals(2, ring.heldRows());
    requests("GET\0/a", 1, 0);
    snapshot(T0 + 1);
    snapshot(T0 + 2);
    assertEquals(3, ring.heldRows());
    MinuteDelta again = baseline.delta(reading(), false);
    assertEquals(0, again.rows[Readings.ROUTES].size());
    requests("GET\0/a", 1, 0);
    MinuteDelta moved = baseline.delta(reading(), false);
    Object stored = null;
    for (Object key : sum(T0, T0).series[Readings.ROUTES].keySet()) {
      if (key.equals("GET\0/a")) {
        stored = key;
      }
    }
    assertSame(stored, moved.rows[Readings.ROUTES].key(0));
  }

  @Test
  void aSeriesFirstSeenCountsFromZeroAndAResetCountsFromZeroAgain() {
    Readings first = new Readings();
    first.of(Readings.ERROR_GROUPS, "f1")[0] = 7;
    MinuteDelta delta = baseline.delta(first, true);
    assertEquals(7, delta.rows[Readings.ERROR_GROUPS].value(0, 0));
    Readings evictedAndBack = new Readings();
    evictedAndBack.of(Readings.ERROR_GROUPS, "f1")[0] = 2;
    assertEquals(2, baseline.delta(evictedAndBack, true).rows[Readings.ERROR_GROUPS].value(0, 0));
  }

  @Test
  void minutesOlderThanAnHourMergeIntoTheirHourExactly() {
    long start = hourStart();
    for (long minute = start; minute < start + 180; minute++) {
      requests("GET\0/a", 1 + (minute - start) % 3, 0);
      snapshot(minute);
    }
    long now = start + 180;
    // 3 hours of 1,2,3,1,2,3... = 120 requests an hour; the day reaches all of them.
    WindowSums day = ring.sum(SummaryWindow.ONE_DAY.firstMinute(now), now, baseline.delta(reading(), false), 15);
    assertEquals(360, requestsOf(day, "GET\0/a"));
    assertEquals(360, day.totals[RouteColumns.REQUESTS]);
    assertEquals(120, requestsOf(sum(now - 60, now), "GET\0/a"));
    // Two hourly slots and the last 60 minutes, one row each.
    assertEquals(62, ring.heldRows());
    // Timeline points of 15 minutes: 15 * 2 = 30 requests each.
    long full = day.timeline.stream().filter(p -> p.totals[RouteColumns.REQUESTS] == 30).count();
    assertEquals(12, full);
    assertEquals(30, day.timeline.get(day.timeline.size() - 13).totals[RouteColumns.REQUESTS]);
  }

  @Test
  void nothingOlderThanADayIsKept() {
    long start = hourStart();
    requests("GET\0/old", 5, 5);
    snapshot(start);
    for (long minute = start + 1; minute <= start + 25 * 60; minute++) {
      requests("GET\0/a", 1, 0);
      snapshot(minute);
    }
    long now = start + 25 * 60 + 1;
    WindowSums day = ring.sum(SummaryWindow.ONE_DAY.firstMinute(now), now, baseline.delta(reading(), false), 15);
    assertNull(day.series[Readings.ROUTES].get("GET\0/old"));
    assertEquals(0, day.totals[RouteColumns.ERRORS]);
    // 23 whole hours and the current one; minute `now` itself has no request yet.
    assertEquals(24 * 60 - 59, requestsOf(day, "GET\0/a"));
    assertEquals(24 * 60 - 59, day.totals[RouteColumns.REQUESTS]);
    assertEquals(93, day.timeline.size());
    // 24 hourly slots and 60 minutes, one row each; the first hour's slot was reused.
    assertEquals(60 + 24, ring.heldRows());
  }

  @Test
  void twoSnapshotsOfTheSameMinuteAddUp() {
    requests("GET\0/a", 3, 0);
    snapshot(T0);
    requests("GET\0/a", 4, 0);
    snapshot(T0);
    assertEquals(7, requestsOf(sum(T0, T0 + 1), "GET\0/a"));
    assertEquals(7, sum(T0, T0 + 1).totals[RouteColumns.REQUESTS]);
  }

  @Test
  void rowsPackIntsWhenEveryValueFitsAndLongsOtherwise() {
    Rows small = new Rows.Builder(2).add("a", new long[] {1, Integer.MAX_VALUE}).build();
    Rows large = new Rows.Builder(2).add("a", new long[] {1, Integer.MAX_VALUE + 1L}).build();
    assertEquals(Integer.MAX_VALUE, small.value(0, 1));
    assertEquals(Integer.MAX_VALUE + 1L, large.value(0, 1));
    Rows sum = small.plus(small);
    assertEquals(2L * Integer.MAX_VALUE, sum.value(0, 1));
    assertSame(Rows.EMPTY, new Rows.Builder(3).build());
    Map<Object, long[]> sums = new HashMap<>();
    sum.addTo(sums);
    assertArrayEquals(new long[] {2, 2L * Integer.MAX_VALUE}, sums.get("a"));
  }

  private static long hourStart() {
    return Math.floorDiv(T0, 60L) * 60 + 60;
  }
}
