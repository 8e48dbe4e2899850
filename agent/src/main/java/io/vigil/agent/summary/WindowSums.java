package io.vigil.agent.summary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ring's figures summed over one window: per series, the service totals and the timeline. */
final class WindowSums {

  /** One timeline point: its first minute, how many minutes it spans, and the totals in it. */
  static final class Point {
    final long firstMinute;
    final int minutes;
    final long[] totals = new long[SummaryRing.TOTAL_STRIDE];

    Point(long firstMinute, int minutes) {
      this.firstMinute = firstMinute;
      this.minutes = minutes;
    }
  }

  @SuppressWarnings("unchecked")
  final Map<Object, long[]>[] series = new Map[Readings.KINDS];
  final long[] totals = new long[SummaryRing.TOTAL_STRIDE];
  final List<Point> timeline = new ArrayList<Point>();

  WindowSums() {
    for (int kind = 0; kind < Readings.KINDS; kind++) {
      series[kind] = new HashMap<Object, long[]>();
    }
  }

  void add(Rows[] rows) {
    for (int kind = 0; kind < Readings.KINDS; kind++) {
      rows[kind].addTo(series[kind]);
    }
  }
}
