package io.vigil.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExhaustionDetectorTest {

  private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private void advanceMillis(long millis) {
    now.addAndGet(millis * MS);
  }

  @Test
  void thresholdIsOneSecondOrTheConnectionTimeoutIfShorter() {
    assertEquals(1000 * MS, ExhaustionDetector.threshold(30_000));
    assertEquals(250 * MS, ExhaustionDetector.threshold(250));
    assertEquals(1000 * MS, ExhaustionDetector.threshold(0));
  }

  @Test
  void idleConnectionsOrNoWaitersAreHealthy() {
    ExhaustionDetector d = new ExhaustionDetector(now::get, 30_000);
    assertEquals(-1, d.observe(1, 5, 30_000));
    advanceMillis(5000);
    assertEquals(-1, d.observe(0, 0, 30_000));
  }

  @Test
  void starvationSeenForTheThresholdIsExhaustion() {
    ExhaustionDetector d = new ExhaustionDetector(now::get, 30_000);
    assertEquals(-1, d.observe(0, 2, 30_000), "a first sight of waiters is not yet exhaustion");
    advanceMillis(999);
    assertEquals(-1, d.observe(0, 2, 30_000));
    advanceMillis(1);
    assertEquals(1000 * MS, d.observe(0, 3, 30_000));
    advanceMillis(500);
    assertEquals(1500 * MS, d.observe(0, 1, 30_000));
  }

  @Test
  void recoveryIsImmediateAndRestartsTheClock() {
    ExhaustionDetector d = new ExhaustionDetector(now::get, 30_000);
    d.observe(0, 2, 30_000);
    advanceMillis(2000);
    assertTrue(d.observe(0, 2, 30_000) >= 0);
    assertEquals(-1, d.observe(1, 0, 30_000), "an idle connection again: healthy at once");
    advanceMillis(100);
    assertEquals(-1, d.observe(0, 2, 30_000), "starved again, but only just");
  }

  @Test
  void aRecentTimeoutMakesCurrentStarvationExhaustionAtOnce() {
    ExhaustionDetector d = new ExhaustionDetector(now::get, 30_000);
    d.onTimeout();
    advanceMillis(100);
    assertEquals(1000 * MS, d.observe(0, 1, 30_000));
    assertEquals(-1, d.observe(2, 0, 30_000), "a timeout alone is history once connections are idle");
  }

  @Test
  void aRecentLongWaitCountsAndAShortOneDoesNot() {
    ExhaustionDetector d = new ExhaustionDetector(now::get, 500);
    d.onAcquired(499 * MS);
    assertEquals(-1, d.observe(0, 1, 500));
    d.observe(1, 0, 500);
    d.onAcquired(500 * MS);
    assertEquals(500 * MS, d.observe(0, 1, 500));
  }

  @Test
  void longWaitEvidenceExpires() {
    ExhaustionDetector d = new ExhaustionDetector(now::get, 30_000);
    d.onTimeout();
    advanceMillis(TimeUnit.NANOSECONDS.toMillis(ExhaustionDetector.RECENT_WAIT_NANOS) + 1);
    assertEquals(-1, d.observe(0, 1, 30_000));
  }
}
