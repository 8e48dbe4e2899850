package io.vigil.agent.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentryRateLimitsTest {

  private static final long NOW = 1_000_000L;
  private final SentryRateLimits limits = new SentryRateLimits();

  @ParameterizedTest(name = "{0} {1} {2} -> limited for {3} s")
  @CsvSource(
      delimiter = '|',
      value = {
        "429 | | 30 | 30",
        "429 | | | 60",
        "429 | | Wed, 21 Oct 2015 07:28:00 GMT | 60",
        "429 | | 2.5 | 3",
        "200 | | 30 | 0",
        "503 | | 30 | 0",
        "429 | 120:error:key | 30 | 120",
        "200 | 120:error:key | | 120",
        "200 | 120::organization | | 120",
        "200 | 120:transaction;session:key | | 0",
        "429 | 120:transaction:key | 30 | 0",
        "200 | 60:transaction:key, 2700:default;error:organization:quota | | 2700",
        "200 | 10:ERROR:project:spike_protection:metric_bucket | | 10",
      })
  void readsSentrysHeaders(int status, String rateLimits, String retryAfter, long seconds) {
    limits.update(status, rateLimits, retryAfter, NOW);
    assertEquals(seconds == 0 ? 0 : NOW + seconds * 1000, limits.limitedUntilMillis());
  }

  @Test
  void limitedUntilTheTimeAndNotAfter() {
    limits.update(429, null, "10", NOW);
    assertTrue(limits.limited(NOW));
    assertTrue(limits.limited(NOW + 9_999));
    assertFalse(limits.limited(NOW + 10_000));
  }

  @Test
  void aShorterLaterLimitDoesNotCutALongerOne() {
    limits.update(429, null, "300", NOW);
    limits.update(429, null, "5", NOW + 1000);
    assertEquals(NOW + 300_000, limits.limitedUntilMillis());
  }
}
