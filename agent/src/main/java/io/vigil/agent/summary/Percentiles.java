package io.vigil.agent.summary;

/**
 * Percentiles estimated from histogram buckets the way Prometheus' {@code histogram_quantile}
 * does: find the bucket the rank falls in and interpolate linearly between its lower and upper
 * bound, assuming the observations are spread evenly inside it. The first bucket starts at 0. A
 * rank in the {@code +Inf} bucket is reported as the highest finite bound: all the histogram says
 * is "more than that".
 */
public final class Percentiles {

  private Percentiles() {}

  /**
   * @param q the quantile, 0..1
   * @param bounds the finite upper bounds, ascending
   * @param cumulative observations at or below each bound, then the total (the {@code +Inf}
   *     bucket): {@code bounds.length + 1} values, non-decreasing
   * @return seconds, or null when there are no observations
   */
  public static Double quantile(double q, double[] bounds, long[] cumulative) {
    if (cumulative.length != bounds.length + 1) {
      throw new IllegalArgumentException(
          "expected " + (bounds.length + 1) + " cumulative counts, got " + cumulative.length);
    }
    long total = cumulative[bounds.length];
    if (total <= 0) {
      return null;
    }
    double rank = Math.min(1.0, Math.max(0.0, q)) * total;
    int bucket = 0;
    while (bucket < bounds.length && cumulative[bucket] < rank) {
      bucket++;
    }
    if (bucket == bounds.length) {
      return bounds[bounds.length - 1];
    }
    double lower = bucket == 0 ? 0.0 : bounds[bucket - 1];
    long below = bucket == 0 ? 0 : cumulative[bucket - 1];
    long inBucket = cumulative[bucket] - below;
    if (inBucket <= 0) {
      return lower;
    }
    return lower + (bounds[bucket] - lower) * ((rank - below) / inBucket);
  }
}
