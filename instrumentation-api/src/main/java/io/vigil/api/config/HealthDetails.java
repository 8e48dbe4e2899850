package io.vigil.api.config;

import java.util.Locale;

/**
 * Who sees the checks, the service, the version and the uptime in {@code /health}, as Spring Boot's
 * actuator {@code show-details}: everyone, only authenticated requests, or nobody. The rest see the
 * overall status only.
 */
public enum HealthDetails {
  ALWAYS,
  AUTHORIZED,
  NEVER;

  /** The setting's text ({@code always}, {@code authorized}, {@code never}), or null for anything else. */
  public static HealthDetails fromConfigValue(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (HealthDetails value : values()) {
      if (value.configValue().equals(t)) {
        return value;
      }
    }
    return null;
  }

  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
