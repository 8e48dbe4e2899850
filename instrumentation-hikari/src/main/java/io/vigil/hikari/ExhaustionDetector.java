package io.vigil.hikari;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides whether one pool is exhausted: it has <b>no idle connection and requests have been
 * waiting for longer than a threshold</b>. The threshold is {@code min(1 s, connectionTimeout)}: a
 * request that waits a whole second for a connection is already an outage for an interactive
 * service, and a pool with a shorter connection timeout fails requests even sooner.
 *
 * <p>Evidence of waiting comes from two sides, because HikariCP does not say how long the threads
 * that are still waiting have waited:
 *
 * <ul>
 *   <li>the pool's own callbacks: a request that waited at least the threshold for its connection,
 *       or that timed out, within the last {@link #RECENT_WAIT_NANOS};
 *   <li>observations ({@code /health} probes and {@code /metrics} scrapes): the pool was seen
 *       without idle connections and with waiting requests at every observation for at least the
 *       threshold.
 * </ul>
 *
 * As soon as an observation sees an idle connection or no waiting request, the pool is healthy
 * again. Thread-safe without locks: the hot-path callbacks compare one number and write a volatile
 * only when a wait was long; races between observers only blur the start time by one observation.
 */
final class ExhaustionDetector {

  static final long MAX_THRESHOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How long a long wait or a timeout counts as evidence while the pool stays without idle. */
  static final long RECENT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long NEVER = Long.MIN_VALUE;

  private final LongSupplier nanoClock;
  private volatile long thresholdNanos;
  private volatile long lastLongWaitNanos = NEVER;
  private volatile long starvedSinceNanos = NEVER;

  ExhaustionDetector(LongSupplier nanoClock, long connectionTimeoutMillis) {
    this.nanoClock = nanoClock;
    this.thresholdNanos = threshold(connectionTimeoutMillis);
  }

  static long threshold(long connectionTimeoutMillis) {
    if (connectionTimeoutMillis <= 0) {
      // HikariCP treats 0 as "wait forever"; the one-second bound still applies.
      return MAX_THRESHOLD_NANOS;
    }
    return Math.min(MAX_THRESHOLD_NANOS, TimeUnit.MILLISECONDS.toNanos(connectionTimeoutMillis));
  }

  long thresholdNanos() {
    return thresholdNanos;
  }

  /** Hot path: a request got its connection after {@code waitNanos}. */
  void onAcquired(long waitNanos) {
    if (waitNanos >= thresholdNanos) {
      lastLongWaitNanos = nanoClock.getAsLong();
    }
  }

  /** A request gave up after the pool's connection timeout. */
  void onTimeout() {
    lastLongWaitNanos = nanoClock.getAsLong();
  }

  /**
   * Records one observation of the pool and answers how long it has been exhausted, in
   * nanoseconds, or -1 when it is not.
   */
  long observe(int idle, int pending, long connectionTimeoutMillis) {
    long now = nanoClock.getAsLong();
    long threshold = threshold(connectionTimeoutMillis);
    thresholdNanos = threshold;
    if (idle > 0 || pending <= 0) {
      starvedSinceNanos = NEVER;
      return -1;
    }
    long since = starvedSinceNanos;
    if (since == NEVER) {
      starvedSinceNanos = since = now;
    }
    long observed = now - since;
    if (observed >= threshold) {
      return observed;
    }
    long lastLongWait = lastLongWaitNanos;
    if (lastLongWait != NEVER && now - lastLongWait <= RECENT_WAIT_NANOS) {
      // A request has just waited at least the threshold, and requests are still waiting.
      return Math.max(observed, threshold);
    }
    return -1;
  }
}
