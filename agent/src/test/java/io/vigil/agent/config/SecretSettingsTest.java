package io.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A secret in a setting never reaches a message, however it is malformed and wherever it is set. */
class SecretSettingsTest {

  private static final String SECRET = "s3cr3t-T0KEN-4711";

  @TempDir
  Path dir;

  private final Properties system = new Properties();
  private final Map<String, String> env = new HashMap<>();

  @ParameterizedTest
  @ValueSource(strings = {
    "Authorization=Bearer " + SECRET + ",broken", // an entry without '='
    "=Bearer " + SECRET, // an empty key
    "Authorization=Bearer%zz" + SECRET, // a bad escape
    "Authorization=Bearer%0A" + SECRET, // a line break, which an HTTP client would quote back
  })
  void malformedOtlpHeadersAreNamedNeverShown(String headers) throws IOException {
    Path file = dir.resolve("vigil.properties");
    Files.write(file, List.of("otlp.headers=" + headers.replace("\\", "\\\\")));
    env.put("OTEL_EXPORTER_OTLP_HEADERS", headers);
    LoadedConfig fromOtel = ConfigLoader.load(null, system, env, "Main");
    LoadedConfig fromFile = ConfigLoader.load("config=" + file, system, env, "Main");
    env.put("VIGIL_OTLP_HEADERS", headers);
    LoadedConfig fromEnv = ConfigLoader.load(null, system, env, "Main");
    system.setProperty("vigil.otlp.headers", headers);
    LoadedConfig fromSystem = ConfigLoader.load(null, system, env, "Main");

    for (LoadedConfig loaded : List.of(fromOtel, fromFile, fromEnv, fromSystem)) {
      assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
      String warning = loaded.warnings().get(0);
      assertFalse(warning.contains(SECRET), warning);
      assertFalse(warning.contains("Bearer"), warning);
      assertTrue(warning.startsWith("Invalid value (" + headers.length() + " characters, not shown: the setting may"
          + " hold a secret) for otlp.headers (from "), warning);
      assertTrue(loaded.config().otlpHeaders().isEmpty());
    }
  }

  @Test
  void aSecretGivenAsAnUnknownAgentArgumentIsNotEchoed() {
    LoadedConfig loaded = ConfigLoader.load("otlp.headers=Authorization=Bearer " + SECRET, system, env, "Main");
    assertEquals(1, loaded.warnings().size());
    assertFalse(loaded.warnings().get(0).contains(SECRET), loaded.warnings().get(0));
    assertTrue(loaded.warnings().get(0).startsWith("Unknown agent argument 'otlp.headers=...'"));
  }

  @Test
  void userInformationOfAnEndpointIsMaskedInTheMessage() {
    system.setProperty("vigil.otlp.endpoint", "ftp://user:" + SECRET + "@collector:4318/");
    String warning = ConfigLoader.load(null, system, env, "Main").warnings().get(0);
    assertTrue(warning.startsWith("Invalid value 'ftp://***@collector:4318/' for otlp.endpoint"), warning);
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp.headers", "prometheus.auth.password", "prometheus.auth.password-file",
      "prometheus.auth.bearer-token-file", "errors.sentry.dsn", "prometheus.tls.private-key", "OTLP.HEADERS"})
  void secretKeys(String key) {
    assertTrue(SecretSettings.isSecret(key));
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp.endpoint", "prometheus.port", "service.name", "http.route.max-cardinality"})
  void plainKeys(String key) {
    assertFalse(SecretSettings.isSecret(key));
    assertEquals("'x'", SecretSettings.shown(key, "x"));
  }

  @Test
  void withoutUserInfo() {
    assertEquals("http://***@host:4318/v1/traces", SecretSettings.withoutUserInfo("http://u:p@host:4318/v1/traces"));
    assertEquals("http://host/a@b", SecretSettings.withoutUserInfo("http://host/a@b"));
    assertEquals("OTLP receiver https://***@h answered 503",
        SecretSettings.withoutUserInfo("OTLP receiver https://u@h answered 503"));
    assertEquals("no url here", SecretSettings.withoutUserInfo("no url here"));
  }
}
