package io.vigil.servlet.route;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the number of distinct {@code http_route} values of one budget (the application's routes
 * under {@code http.route.max-cardinality}, folded paths under {@link RouteBudgets}): the first
 * {@code maxCardinality} distinct routes are admitted and kept for the life of the limiter; every
 * later new route is reported as the overflow value ({@value #OVERFLOW} unless given).
 *
 * <p>Thread-safe and lock-free on the hot path: a route already admitted costs one {@link
 * ConcurrentHashMap#get}. Admitting a new route reserves a slot with a compare-and-set on a
 * counter before inserting, so the set never holds more than {@code maxCardinality} routes however
 * many threads race, and memory stays bounded by the cap whatever is offered. The price of that
 * guarantee: while two threads admit the same new route into the last free slot, a third request
 * for it may briefly be counted as overflow.
 */
public final class RouteLimiter {

  /** The route reported for every new route once the cap is reached. */
  public static final String OVERFLOW = "_OTHER";

  private static final Runnable NO_OP =
      new Runnable() {
        @Override
        public void run() {}
      };

  private final int maxCardinality;
  private final String overflow;
  private final Runnable onOverflow;
  // Each admitted route maps to itself: callers get the one admitted instance, whose hash is
  // already computed when the label lookup downstream needs it.
  private final ConcurrentHashMap<String, String> admitted;
  // Slots taken, including ones reserved by an insert still in flight; never above maxCardinality.
  private final AtomicInteger reserved = new AtomicInteger();

  /**
   * @param maxCardinality distinct routes admitted; 0 sends every route to {@value #OVERFLOW}
   * @param onOverflow run on every {@link #limit} call that answers {@value #OVERFLOW} (the
   *     {@code vigil_agent_route_overflow_total} counter); must be cheap and must not throw;
   *     {@code null} for none
   * @throws IllegalArgumentException if {@code maxCardinality} is negative
   */
  public RouteLimiter(int maxCardinality, Runnable onOverflow) {
    this(maxCardinality, OVERFLOW, onOverflow);
  }

  /**
   * @param overflow the value returned for every route past the cap
   * @see #RouteLimiter(int, Runnable)
   */
  public RouteLimiter(int maxCardinality, String overflow, Runnable onOverflow) {
    if (maxCardinality < 0) {
      throw new IllegalArgumentException(
          "maxCardinality must be 0 or more, was " + maxCardinality);
    }
    this.maxCardinality = maxCardinality;
    this.overflow = overflow;
    this.onOverflow = onOverflow == null ? NO_OP : onOverflow;
    // Sized for a typical application, not for the cap, so that a large cap costs nothing upfront.
    this.admitted = new ConcurrentHashMap<>(Math.min(maxCardinality, 256));
  }

  /**
   * Returns {@code route} if it is already admitted (as the instance first admitted) or a slot is
   * free (admitting it), else the overflow value after running the overflow callback. {@code
   * null} is returned as is and admits nothing.
   */
  public String limit(String route) {
    if (route == null) {
      return null;
    }
    String known = admitted.get(route);
    if (known != null) {
      return known;
    }
    while (true) {
      int taken = reserved.get();
      if (taken >= maxCardinality) {
        // Another thread may have admitted this very route since the first look.
        known = admitted.get(route);
        if (known != null) {
          return known;
        }
        onOverflow.run();
        return overflow;
      }
      if (reserved.compareAndSet(taken, taken + 1)) {
        break;
      }
    }
    known = admitted.putIfAbsent(route, route);
    if (known != null) {
      reserved.decrementAndGet(); // a concurrent call admitted it first: give the slot back
      return known;
    }
    return route;
  }

  /** The number of routes admitted so far; at most {@code maxCardinality}. */
  public int size() {
    return admitted.size();
  }

  /** The cap given at construction. */
  public int maxCardinality() {
    return maxCardinality;
  }
}
