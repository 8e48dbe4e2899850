package io.vigil.api.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a {@link HealthCheck} found: up or down, a reason when down, and details for operators. */
public final class HealthResult {

  private final boolean up;
  private final String reason;
  private final Map<String, Object> details;

  private HealthResult(boolean up, String reason, Map<String, Object> details) {
    this.up = up;
    this.reason = reason;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static HealthResult up(Map<String, Object> details) {
    return new HealthResult(true, null, details);
  }

  public static HealthResult down(String reason, Map<String, Object> details) {
    return new HealthResult(false, reason, details);
  }

  public boolean isUp() {
    return up;
  }

  /** Null when up. */
  public String reason() {
    return reason;
  }

  /** Values are strings, numbers or booleans. */
  public Map<String, Object> details() {
    return details;
  }
}
