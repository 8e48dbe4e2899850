package io.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.config.VigilConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The {@code errors.*} keys and the {@code SENTRY_DSN} variable. */
class ErrorsConfigTest {

  private final Properties system = new Properties();
  private final Map<String, String> env = new HashMap<>();

  private LoadedConfig load() {
    return ConfigLoader.load(null, system, env, "MainApp");
  }

  @Test
  void defaults() {
    VigilConfig c = load().config();
    assertEquals(500, c.errorsMaxGroups());
    assertNull(c.sentryDsn());
    assertEquals(10, c.sentryRatePerMinute());
    assertNull(c.errorsEnvironment());
  }

  @Test
  void sentryDsnComesFromTheSentryVariableUnlessVigilsOwnKeyIsSet() {
    env.put("SENTRY_DSN", "https://abc@o1.ingest.sentry.io/42");
    assertEquals("https://abc@o1.ingest.sentry.io/42", load().config().sentryDsn());
    system.setProperty("vigil.errors.sentry.dsn", "https://def@sentry.internal/7");
    assertEquals("https://def@sentry.internal/7", load().config().sentryDsn());
  }

  @Test
  void setValues() {
    env.put("VIGIL_ERRORS_MAX_GROUPS", "50");
    env.put("VIGIL_ERRORS_SENTRY_RATE", "0");
    env.put("VIGIL_ERRORS_ENVIRONMENT", "production");
    LoadedConfig loaded = load();
    assertEquals(List.of(), loaded.warnings());
    assertEquals(50, loaded.config().errorsMaxGroups());
    assertEquals(0, loaded.config().sentryRatePerMinute());
    assertEquals("production", loaded.config().errorsEnvironment());
  }

  @Test
  void badValuesAreOneWarningEachAndTheDefault() {
    system.setProperty("vigil.errors.max-groups", "0");
    system.setProperty("vigil.errors.sentry.dsn", "not a dsn");
    system.setProperty("vigil.errors.sentry.rate", "-1");
    LoadedConfig loaded = load();
    assertEquals(3, loaded.warnings().size(), loaded.warnings().toString());
    assertTrue(loaded.warnings().get(1).contains("errors.sentry.dsn"), loaded.warnings().toString());
    assertTrue(loaded.warnings().get(1).endsWith("using the default (none)."), loaded.warnings().toString());
    assertEquals(500, loaded.config().errorsMaxGroups());
    assertNull(loaded.config().sentryDsn());
    assertEquals(10, loaded.config().sentryRatePerMinute());
  }
}
