package io.vigil.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.config.OtlpProtocol;
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
  void grpcDefaultsToPort4317() {
    system.setProperty("vigil.otlp.protocol", "grpc");
    VigilConfig c = load(null).config();
    assertEquals(OtlpProtocol.GRPC, c.otlpProtocol());
    assertEquals("http://localhost:4317", c.otlpEndpoint());
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
}
