package io.vigil.agent.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  private static final double[] BOUNDS = {0.1, 0.5, 1.0};

  @Test
  void noObservationsIsNull() {
    assertNull(Percentiles.quantile(0.5, BOUNDS, new long[] {0, 0, 0, 0}));
  }

  @Test
  void allInTheFirstBucketInterpolatesFromZero() {
    long[] cumulative = {10, 10, 10, 10};
    assertEquals(0.05, Percentiles.quantile(0.5, BOUNDS, cumulative), 1e-12);
    assertEquals(0.095, Percentiles.quantile(0.95, BOUNDS, cumulative), 1e-12);
    assertEquals(0.1, Percentiles.quantile(1.0, BOUNDS, cumulative), 1e-12);
    assertEquals(0.0, Percentiles.quantile(0.0, BOUNDS, cumulative), 1e-12);
  }

  @Test
  void oneObservationIsTheUpperBoundOfItsBucketAtTheTop() {
    long[] cumulative = {0, 1, 1, 1};
    assertEquals(0.5, Percentiles.quantile(1.0, BOUNDS, cumulative), 1e-12);
    assertEquals(0.3, Percentiles.quantile(0.5, BOUNDS, cumulative), 1e-12);
  }

  @Test
  void aRankInTheInfBucketIsTheHighestFiniteBound() {
    long[] cumulative = {0, 0, 0, 5};
    assertEquals(1.0, Percentiles.quantile(0.5, BOUNDS, cumulative), 1e-12);
    long[] mostlyFast = {95, 95, 95, 100};
    assertEquals(1.0, Percentiles.quantile(0.99, BOUNDS, mostlyFast), 1e-12);
    assertEquals(0.1, Percentiles.quantile(0.95, BOUNDS, mostlyFast), 1e-12);
  }

  @Test
  void interpolatesLinearlyInsideTheBucketTheRankFallsIn() {
    // 40 requests: 30 at most 0.1 s, 10 between 0.5 and 1 s; p95 is rank 38, the 8th of 10 in (0.5, 1].
    long[] cumulative = {30, 30, 40, 40};
    assertEquals(0.5 + 0.5 * 8 / 10.0, Percentiles.quantile(0.95, BOUNDS, cumulative), 1e-12);
    assertEquals(0.1 * 20 / 30.0, Percentiles.quantile(0.5, BOUNDS, cumulative), 1e-12);
    // Rank 30 is exactly the top of the first bucket: that bucket, not the empty one after it.
    assertEquals(0.1, Percentiles.quantile(0.75, BOUNDS, cumulative), 1e-12);
  }

  @Test
  void quantileOutsideZeroToOneIsClamped() {
    long[] cumulative = {1, 2, 3, 4};
    assertEquals(Percentiles.quantile(1.0, BOUNDS, cumulative), Percentiles.quantile(7, BOUNDS, cumulative));
    assertEquals(0.0, Percentiles.quantile(-1, BOUNDS, cumulative), 1e-12);
  }

  @Test
  void countsMustMatchTheBounds() {
    assertThrows(IllegalArgumentException.class, () -> Percentiles.quantile(0.5, BOUNDS, new long[] {1, 2}));
  }
}
