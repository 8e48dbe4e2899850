package io.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.config.HealthDetails;
import io.vigil.api.config.OtlpProtocol;
import io.vigil.api.config.PortSecurityConfig;
import io.vigil.api.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private final Properties system = new Properties();
  private final Map<String, String> env = new HashMap<>();

  private LoadedConfig load(String agentArgs) {
    return ConfigLoader.load(agentArgs, system, env, "MainApp");
  }

  @Test
  void defaultsMatchTheDesign() {
    LoadedConfig loaded = load(null);
    VigilConfig c = loaded.config();
    assertEquals(List.of(), loaded.warnings());
    assertEquals("MainApp", c.serviceName());
    assertTrue(c.prometheusEnabled());
    assertEquals("0.0.0.0", c.prometheusHost());
    assertEquals(9464, c.prometheusPort());
    assertTrue(c.tracesEnabled());
    assertEquals("http://localhost:4318", c.otlpEndpoint());
    assertEquals(OtlpProtocol.HTTP_PROTOBUF, c.otlpProtocol());
    assertEquals(1.0, c.samplerRatio());
    assertTrue(c.instrumentationEnabled("servlet"));
    assertTrue(c.instrumentationEnabled("jdbc"));
    assertTrue(c.instrumentationEnabled("hikari"));
    assertEquals(1000, c.routeMaxCardinality());
    assertEquals(1_000_000_000L, c.slowQueryThresholdNanos());
    assertEquals("info", c.logLevel());
  }

  @Test
  void grpcIsOneLineSayingWhatToSetAndTracesGoOverHttpProtobuf() {
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    LoadedConfig loaded = load(null);
    assertEquals(OtlpProtocol.HTTP_PROTOBUF, loaded.config().otlpProtocol());
    assertEquals("http://localhost:4318", loaded.config().otlpEndpoint());
    assertEquals(List.of("otlp.protocol=grpc (from environment OTEL_EXPORTER_OTLP_PROTOCOL) is not supported:"
        + " Vigil sends traces over OTLP http/protobuf, which Jaeger, the OpenTelemetry Collector, Tempo and the"
        + " vendors accept on port 4318. Set otlp.protocol=http/protobuf (or leave it out) and otlp.endpoint to"
        + " that port; until then traces go to http://localhost:4318 over http/protobuf."), loaded.warnings());
  }

  @Test
  void otlpExporterDefaults() {
    VigilConfig c = load(null).config();
    assertEquals("none", c.otlpCompression());
    assertEquals(10_000_000_000L, c.otlpTimeoutNanos());
    assertEquals(null, c.otlpCertificate());
    assertEquals(null, c.otlpClientCertificate());
    assertEquals(null, c.otlpClientKey());
  }

  @Test
  void otlpExporterSettingsComeFromTheOtelVariablesTheTracesFormFirst() throws IOException {
    Path ca = named("ca.pem", "-----BEGIN CERTIFICATE-----");
    Path cert = named("client.pem", "-----BEGIN CERTIFICATE-----");
    Path key = named("client.key", "-----BEGIN PRIVATE KEY-----");
    env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "none");
    env.put("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
    env.put("OTEL_EXPORTER_OTLP_CERTIFICATE", dir.resolve("absent.pem").toString());
    env.put("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", ca.toString());
    env.put("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", cert.toString());
    env.put("OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", key.toString());
    LoadedConfig loaded = load(null);
    VigilConfig c = loaded.config();
    assertEquals(List.of(), loaded.warnings());
    assertEquals("gzip", c.otlpCompression());
    assertEquals(2_500_000_000L, c.otlpTimeoutNanos());
    assertEquals(ca.toString(), c.otlpCertificate());
    assertEquals(cert.toString(), c.otlpClientCertificate());
    assertEquals(key.toString(), c.otlpClientKey());
  }

  @Test
  void badOtlpExporterValuesAreNamedAndTheDefaultsUsed() throws IOException {
    system.setProperty("vigil.otlp.compression", "zstd");
    system.setProperty("vigil.otlp.timeout", "-1s");
    system.setProperty("vigil.otlp.certificate", dir.resolve("absent.pem").toString());
    system.setProperty("vigil.otlp.client.certificate", named("client.pem", "x").toString());
    LoadedConfig loaded = load(null);
    VigilConfig c = loaded.config();
    assertEquals("none", c.otlpCompression());
    assertEquals(10_000_000_000L, c.otlpTimeoutNanos());
    assertEquals(null, c.otlpCertificate());
    assertEquals(null, c.otlpClientCertificate());
    assertEquals(List.of(
        "Invalid value 'zstd' for otlp.compression (from -Dvigil.otlp.compression): expected gzip or none;"
            + " using the default none.",
        "Invalid value '-1s' for otlp.timeout (from -Dvigil.otlp.timeout): expected a duration such as 500ms, 10s"
            + " or 1m, or a number of milliseconds; using the default 10000ms.",
        "Invalid value '" + dir.resolve("absent.pem") + "' for otlp.certificate (from -Dvigil.otlp.certificate):"
            + " expected the path of a readable PEM file; using the default (none).",
        "Mutual TLS needs both otlp.client.certificate and otlp.client.key; only otlp.client.certificate is set,"
            + " so no client certificate is sent."), loaded.warnings());
  }

  @Test
  void aMalformedHeadersValueIsNeverShownBecauseItMayHoldAToken() {
    system.setProperty("vigil.otlp.headers", "Authorization Bearer secret-token");
    LoadedConfig loaded = load(null);
    assertEquals(List.of("Invalid value (33 characters, not shown: the setting may hold a secret) for otlp.headers (from"
        + " -Dvigil.otlp.headers): expected a comma-separated list of key=value pairs; using the default (none)."),
        loaded.warnings());
  }

  @Test
  void precedenceIsSystemThenEnvironmentThenFileThenOtelThenDefault() throws IOException {
    Path file = file("service.name=file", "prometheus.port=1001", "traces.sampler.ratio=0.5", "log.level=debug");
    env.put("VIGIL_SERVICE_NAME", "env");
    env.put("VIGIL_PROMETHEUS_PORT", "1002");
    env.put("OTEL_SERVICE_NAME", "otel");
    env.put("OTEL_TRACES_SAMPLER_ARG", "0.25");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318");
    system.setProperty("vigil.service.name", "system");

    VigilConfig c = load("config=" + file).config();

    assertEquals("system", c.serviceName());
    assertEquals(1002, c.prometheusPort());
    assertEquals(0.5, c.samplerRatio());
    assertEquals("http://otel:4318", c.otlpEndpoint());
    assertEquals("debug", c.logLevel());
  }

  @Test
  void theConfigFileIsNamedByArgumentThenSystemPropertyThenEnvironment() throws IOException {
    Path fromArgs = named("a.properties", "service.name=args");
    Path fromProperty = named("b.properties", "service.name=property");
    Path fromEnv = named("c.properties", "service.name=env");
    env.put("VIGIL_CONFIG", fromEnv.toString());
    assertEquals("env", load(null).config().serviceName());
    system.setProperty("vigil.config", fromProperty.toString());
    assertEquals("property", load(null).config().serviceName());
    assertEquals("args", load("config=" + fromArgs).config().serviceName());
  }

  @Test
  void environmentNamesUpperCaseAndUnderscoreDotsAndDashes() {
    assertEquals("VIGIL_HTTP_ROUTE_MAX_CARDINALITY", ConfigLoader.envName("http.route.max-cardinality"));
    assertEquals("VIGIL_JDBC_SLOW_QUERY_THRESHOLD", ConfigLoader.envName("jdbc.slow-query-threshold"));
    env.put("VIGIL_HTTP_ROUTE_MAX_CARDINALITY", "50");
    env.put("VIGIL_JDBC_SLOW_QUERY_THRESHOLD", "250ms");
    env.put("VIGIL_INSTRUMENTATION_JDBC_ENABLED", "FALSE");
    VigilConfig c = load(null).config();
    assertEquals(50, c.routeMaxCardinality());
    assertEquals(250_000_000L, c.slowQueryThresholdNanos());
    assertFalse(c.instrumentationEnabled("jdbc"));
  }

  @Test
  void theJdbcSpanMinimumIsOffByDefaultTakesADurationAndFallsBackToOffWhenMalformed() {
    assertEquals(0L, load(null).config().jdbcSpanMinDurationNanos());
    env.put("VIGIL_JDBC_SPAN_MIN_DURATION", "0.5ms");
    assertEquals(500_000L, load(null).config().jdbcSpanMinDurationNanos());
    system.setProperty("vigil.jdbc.span.min-duration", "fast");
    LoadedConfig loaded = load(null);
    assertEquals(0L, loaded.config().jdbcSpanMinDurationNanos());
    assertEquals(List.of("Invalid value 'fast' for jdbc.span.min-duration (from -Dvigil.jdbc.span.min-duration):"
        + " expected a duration such as 0 (every statement traced), 0.5ms, 2ms or 1s; using the default 0ms."),
        loaded.warnings());
  }

  @Test
  void otelServiceNameBeatsTheResourceAttributeWhichBeatsTheMainClass() {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource,deployment.environment=prod");
    VigilConfig c = load(null).config();
    assertEquals("from-resource", c.serviceName());
    assertEquals("prod", c.resourceAttributes().get("deployment.environment"));
    env.put("OTEL_SERVICE_NAME", "from-otel");
    assertEquals("from-otel", load(null).config().serviceName());
  }

  @Test
  void otlpHeadersArePercentDecoded() {
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc,x-tenant=a");
    Map<String, String> headers = load(null).config().otlpHeaders();
    assertEquals("Bearer abc", headers.get("Authorization"));
    assertEquals("a", headers.get("x-tenant"));
  }

  @Test
  void aBadValueNamesKeyValueSourceAndAllowedAndKeepsTheDefault() {
    system.setProperty("vigil.prometheus.port", "http");
    system.setProperty("vigil.traces.sampler.ratio", "7");
    system.setProperty("vigil.traces.enabled", "yes");
    LoadedConfig loaded = load(null);
    assertEquals(9464, loaded.config().prometheusPort());
    assertEquals(1.0, loaded.config().samplerRatio());
    assertTrue(loaded.config().tracesEnabled());
    assertEquals(List.of(
        "Invalid value 'http' for prometheus.port (from -Dvigil.prometheus.port): expected a port number from 0 to"
            + " 65535 (0 picks a free port); using the default 9464.",
        "Invalid value 'yes' for traces.enabled (from -Dvigil.traces.enabled): expected true or false; using the"
            + " default true.",
        "Invalid value '7' for traces.sampler.ratio (from -Dvigil.traces.sampler.ratio): expected a number from 0.0"
            + " to 1.0; using the default 1.0."), loaded.warnings());
  }

  @Test
  void unknownKeysWarnByNameWithASuggestion() throws IOException {
    Path file = file("prometheus.prot=1", "completely.unrelated=2", "vigil.service.name=prefixed-is-forgiven");
    env.put("VIGIL_SERVCE_NAME", "x");
    system.setProperty("vigil.tracing.enabled", "false");
    LoadedConfig loaded = load("config=" + file);
    assertEquals("prefixed-is-forgiven", loaded.config().serviceName());
    assertEquals(List.of(
        "Unknown configuration key 'completely.unrelated' in " + file + "; ignored.",
        "Unknown configuration key 'prometheus.prot' in " + file + "; ignored. Did you mean 'prometheus.port'?",
        "Unknown configuration key 'VIGIL_SERVCE_NAME' in the environment; ignored. Did you mean 'VIGIL_SERVICE_NAME'?",
        "Unknown configuration key '-Dvigil.tracing.enabled' in the system properties; ignored. Did you mean"
            + " '-Dvigil.traces.enabled'?"), loaded.warnings());
  }

  @Test
  void unrelatedSystemPropertiesAndEnvironmentAreNotOurs() {
    system.setProperty("java.version", "17");
    system.setProperty("vigilance", "high");
    env.put("PATH", "/bin");
    env.put("VIGILANT", "1");
    assertEquals(List.of(), load(null).warnings());
  }

  @Test
  void aMissingFileIsOneWarning() {
    Path missing = dir.resolve("nope.properties");
    LoadedConfig loaded = load("config=" + missing);
    assertEquals(List.of("Config file " + missing + " (named by agent argument config=) does not exist; running with"
        + " the system properties, environment and defaults."), loaded.warnings());
    assertEquals(9464, loaded.config().prometheusPort());
  }

  @Test
  void anUnknownAgentArgumentIsAWarning() {
    LoadedConfig loaded = load("port=1");
    assertEquals(1, loaded.warnings().size());
    assertTrue(loaded.warnings().get(0).startsWith("Unknown agent argument 'port=...'; ignored."));
  }

  @Test
  void badUrlsProtocolsAndListsAreRejected() {
    system.setProperty("vigil.otlp.endpoint", "jaeger:4318");
    system.setProperty("vigil.otlp.protocol", "http/json");
    system.setProperty("vigil.otlp.headers", "novalue");
    LoadedConfig loaded = load(null);
    assertEquals("http://localhost:4318", loaded.config().otlpEndpoint());
    assertEquals(OtlpProtocol.HTTP_PROTOBUF, loaded.config().otlpProtocol());
    assertEquals(3, loaded.warnings().size());
  }

  private Path file(String... lines) throws IOException {
    return named("vigil.properties", lines);
  }

  private Path named(String name, String... lines) throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, List.of(lines));
    return path;
  }

  @Test
  void portSecuritySettingsFollowTheUsualSourcesAndHealthDetailsDefaultsByAuthentication() {
    assertEquals(HealthDetails.ALWAYS, load(null).config().portSecurity().healthDetails());
    env.put("VIGIL_PROMETHEUS_AUTH_USERNAME", "prometheus");
    env.put("VIGIL_PROMETHEUS_AUTH_PASSWORD", " with spaces ");
    env.put("VIGIL_PROMETHEUS_TLS_CERTIFICATE", "/tls/tls.crt");
    system.setProperty("vigil.prometheus.tls.private-key", "/tls/tls.key");
    system.setProperty("vigil.prometheus.tls.client-ca", "/tls/ca.crt");
    system.setProperty("vigil.prometheus.auth.bearer-token-file", "/secrets/token");
    LoadedConfig loaded = load(null);
    PortSecurityConfig security = loaded.config().portSecurity();
    assertEquals(List.of(), loaded.warnings());
    assertEquals("prometheus", security.username());
    assertEquals(" with spaces ", security.password());
    assertEquals("/tls/tls.crt", security.tlsCertificate());
    assertEquals("/tls/tls.key", security.tlsPrivateKey());
    assertEquals("/tls/ca.crt", security.tlsClientCa());
    assertEquals("/secrets/token", security.bearerTokenFile());
    assertEquals(HealthDetails.AUTHORIZED, security.healthDetails());

    system.setProperty("vigil.health.details", "never");
    assertEquals(HealthDetails.NEVER, load(null).config().portSecurity().healthDetails());
  }

  @Test
  void aBadHealthDetailsFallsBackToTheDefaultAndAMisspeltSecretKeyIsNamedNotQuoted() {
    system.setProperty("vigil.prometheus.auth.password-file", "/secrets/password");
    system.setProperty("vigil.prometheus.auth.username", "u");
    system.setProperty("vigil.health.details", "sometimes");
    system.setProperty("vigil.prometheus.auth.pasword", "hunter2");
    LoadedConfig loaded = load(null);
    assertEquals(HealthDetails.AUTHORIZED, loaded.config().portSecurity().healthDetails());
    assertEquals(2, loaded.warnings().size(), loaded.warnings().toString());
    assertTrue(loaded.warnings().contains("Invalid value 'sometimes' for health.details (from -Dvigil.health.details):"
        + " expected always, authorized or never; using the default authorized."), loaded.warnings().toString());
    assertFalse(loaded.warnings().toString().contains("hunter2"), loaded.warnings().toString());
  }
}
