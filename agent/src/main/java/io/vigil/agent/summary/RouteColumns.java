package io.vigil.agent.summary;

/**
 * The columns of a route (and of the service totals): requests, errors, then the cumulative count
 * of each {@code http_server_request_duration_seconds} bucket ({@code le}), the last one {@code +Inf}.
 */
final class RouteColumns {

  /** The HTTP buckets of docs/metrics.md, in seconds. */
  static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

  static final int REQUESTS = 0;
  static final int ERRORS = 1;
  static final int FIRST_BUCKET = 2;
  static final int STRIDE = FIRST_BUCKET + BOUNDS.length + 1;

  private RouteColumns() {}

  /** The column of the bucket whose {@code le} is {@code le}, or -1 for a bound this does not know. */
  static int bucketColumn(double le) {
    if (Double.isInfinite(le)) {
      return FIRST_BUCKET + BOUNDS.length;
    }
    for (int i = 0; i < BOUNDS.length; i++) {
      if (Math.abs(BOUNDS[i] - le) < 1e-9) {
        return FIRST_BUCKET + i;
      }
    }
    return -1;
  }

  /** The percentile of the buckets in {@code row}; null without requests. */
  static Double quantile(double q, long[] row) {
    long[] cumulative = new long[BOUNDS.length + 1];
    System.arraycopy(row, FIRST_BUCKET, cumulative, 0, cumulative.length);
    return Percentiles.quantile(q, BOUNDS, cumulative);
  }
}
