package io.vigil.api;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Wall-clock time in nanoseconds since the epoch, for span timestamps. */
public final class WallClock {

  private WallClock() {}

  /** As precise as the JVM gives it (microseconds from Java 9 on). */
  public static long epochNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
