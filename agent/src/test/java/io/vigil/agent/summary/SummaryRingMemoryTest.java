package io.vigil.agent.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.metrics.StatementTotals;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the ring retains at its steady state: 200 routes and 500 statements, every one of them
 * active in every minute, for 25 simulated hours (so the hourly slots are all full and the oldest
 * have been dropped). Measured as the used heap after full collections, with and without the
 * rings, over several rings so the noise of one collection is divided out. The statement entries
 * themselves belong to the JDBC instrumentation and exist without the summary; everything the
 * summary adds is counted, including its own copies of the route keys and its baseline.
 */
class SummaryRingMemoryTest {

  static final int ROUTES = 200;
  static final int STATEMENTS = 500;
  static final int RINGS = 3;
  static final long FIVE_MB = 5L * 1024 * 1024;

  private static final class Simulated {
    final SummaryRing ring = new SummaryRing();
    final Baseline baseline = new Baseline();
  }

  @Test
  void twoHundredRoutesAndFiveHundredStatementsForADayStayUnderFiveMegabytes() {
    StatementTotals totals = new StatementTotals(StatementTotals.DEFAULT_MAX_STATEMENTS);
    List<StatementTotals.Statement> statements = new ArrayList<>();
    for (int i = 0; i < STATEMENTS; i++) {
      statements.add(totals.statement("postgresql",
          "SELECT o.id, o.name, o.city FROM owners o JOIN pets p ON p.owner_id = o.id WHERE o.id = ? AND q = " + i,
          "SELECT", "owners"));
    }
    long before = usedHeapAfterGc();
    List<Simulated> rings = new ArrayList<>();
    for (int r = 0; r < RINGS; r++) {
      rings.add(simulate(statements, new Random(r)));
    }
    long after = usedHeapAfterGc();
    long perRing = (after - before) / RINGS;
    for (Simulated simulated : rings) {
      // 60 minute slots and 24 hourly slots of 700 rows each.
      assertEquals((60 + 24) * (ROUTES + STATEMENTS), simulated.ring.heldRows());
    }
    System.out.printf("Summary ring, %d routes and %d statements active every minute for 25 h: %.2f MB retained"
        + " per ring (used heap after GC, %d rings)%n", ROUTES, STATEMENTS, perRing / 1048576.0, RINGS);
    assertTrue(perRing < FIVE_MB, "retained " + perRing + " bytes");
    assertTrue(perRing > 500_000, "the measurement saw the rings at all: " + perRing);
  }

  private static Simulated simulate(List<StatementTotals.Statement> statements, Random random) {
    Simulated simulated = new Simulated();
    long[][] routeTotals = new long[ROUTES][RouteColumns.STRIDE];
    long[][] statementTotals = new long[STATEMENTS][3];
    long firstMinute = 29_000_000L;
    for (long minute = firstMinute; minute < firstMinute + 25 * 60; minute++) {
      Readings readings = new Readings();
      for (int route = 0; route < ROUTES; route++) {
        long[] row = routeTotals[route];
        int requests = 50 + random.nextInt(100);
        row[RouteColumns.REQUESTS] += requests;
        row[RouteColumns.ERRORS] += random.nextInt(5);
        for (int i = 0; i < requests; i++) {
          // Spread over the buckets from 0.005 s to 0.5 s; cumulative from the bucket up.
          for (int column = RouteColumns.FIRST_BUCKET + random.nextInt(8); column < RouteColumns.STRIDE; column++) {
            row[column]++;
          }
        }
        long[] read = readings.of(Readings.ROUTES, MetricsReader.routeKey("GET", "/api/v1/resource" + route + "/{id}"));
        System.arraycopy(row, 0, read, 0, RouteColumns.STRIDE);
      }
      for (int s = 0; s < STATEMENTS; s++) {
        long[] row = statementTotals[s];
        int count = 20 + random.nextInt(80);
        row[Readings.STATEMENT_COUNT] += count;
        row[Readings.STATEMENT_ERRORS] += random.nextInt(2);
        row[Readings.STATEMENT_NANOS] += count * (1_000_000L + random.nextInt(4_000_000));
        System.arraycopy(row, 0, readings.of(Readings.STATEMENTS, statements.get(s)), 0, 3);
      }
      readings.agent[Readings.SPANS_EXPORTED] += 1000;
      simulated.ring.record(minute, simulated.baseline.delta(readings, true));
    }
    return simulated;
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // Collect until the figure stops falling: one System.gc() may leave garbage behind.
    for (int i = 0; i < 10; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long now = runtime.totalMemory() - runtime.freeMemory();
      if (now >= used - 1024) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}
