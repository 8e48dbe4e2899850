package io.vigil.agent.errors;

import java.util.Locale;

/**
 * What Sentry told the agent about sending: after a {@code 429} or any response with an {@code
 * X-Sentry-Rate-Limits} header, no error event is sent until the time it names. Vigil sends only
 * events, whose data category is {@code error}.
 *
 * <p>{@code X-Sentry-Rate-Limits} is a comma-separated list of {@code
 * retry_after:categories:scope[:reason[:namespaces]]}; an empty category list covers every
 * category. Without it, a {@code 429} is read through {@code Retry-After} (seconds; anything else,
 * such as an HTTP date, counts as {@value #DEFAULT_RETRY_SECONDS} seconds). Read by the sender's
 * thread only.
 */
final class SentryRateLimits {

  static final long DEFAULT_RETRY_SECONDS = 60;
  private static final String CATEGORY = "error";

  private long limitedUntilMillis;

  boolean limited(long nowMillis) {
    return nowMillis < limitedUntilMillis;
  }

  long limitedUntilMillis() {
    return limitedUntilMillis;
  }

  /** Takes in one response's status and headers (either header may be null). */
  void update(int status, String rateLimitsHeader, String retryAfterHeader, long nowMillis) {
    if (rateLimitsHeader != null && !rateLimitsHeader.trim().isEmpty()) {
      for (String limit : rateLimitsHeader.split(",")) {
        String[] parts = limit.trim().split(":", -1);
        if (parts.length < 2 || !coversErrors(parts[1])) {
          continue;
        }
        extend(nowMillis + seconds(parts[0]) * 1000);
      }
      return;
    }
    if (status == 429) {
      extend(nowMillis + seconds(retryAfterHeader) * 1000);
    }
  }

  private void extend(long untilMillis) {
    limitedUntilMillis = Math.max(limitedUntilMillis, untilMillis);
  }

  private static boolean coversErrors(String categories) {
    if (categories.trim().isEmpty()) {
      return true;
    }
    for (String category : categories.split(";")) {
      if (CATEGORY.equals(category.trim().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static long seconds(String text) {
    if (text == null) {
      return DEFAULT_RETRY_SECONDS;
    }
    try {
      // Sentry may send fractions ("60.5"); round up so the agent never comes back early.
      double value = Double.parseDouble(text.trim());
      return value >= 0 ? (long) Math.ceil(value) : DEFAULT_RETRY_SECONDS;
    } catch (NumberFormatException e) {
      return DEFAULT_RETRY_SECONDS;
    }
  }
}
