package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.apps.IdleApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.MetricsSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration as a user meets it: the sources and their precedence, the OTEL_* fallbacks, and
 * every kind of bad input, each of which must give its message while the application runs on.
 */
class ConfigurationIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void systemPropertiesBeatEnvironmentBeatFileBeatOtelVariables() throws IOException {
    int filePort = FreePort.next();
    int envPort = FreePort.next();
    Path file = write("vigil.properties",
        "service.name=from-file",
        "prometheus.port=" + filePort,
        "otlp.endpoint=http://127.0.0.1:" + FreePort.next(),
        "instrumentation.hikari.enabled=false",
        "traces.sampler.ratio=0.5");

    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .agentArgs("config=" + file)
        .portFromConfiguration(envPort)
        .env("VIGIL_SERVICE_NAME", "from-env")
        .env("VIGIL_PROMETHEUS_PORT", String.valueOf(envPort))
        .env("VIGIL_TRACES_SAMPLER_RATIO", "0.25")
        .property("vigil.service.name", "from-system-property")
        .env("OTEL_SERVICE_NAME", "from-otel")
        .env("OTEL_TRACES_SAMPLER_ARG", "0.75")
        .start()) {
      MetricsSnapshot metrics = app.metrics();
      assertEquals(1.0, metrics.value("vigil_agent_info", "service_name", "from-system-property"));
      String started = app.awaitLine("started in", WAIT);
      assertTrue(started.contains("metrics=http://0.0.0.0:" + envPort + "/metrics"), started);
      assertTrue(started.contains("sampling ratio 0.25"), started);
      assertTrue(started.endsWith("instrumentations=servlet,jdbc"), started);
    }
  }

  @Test
  void fileBeatsOtelVariablesAndOtelVariablesBeatDefaults() throws IOException {
    Path file = write("vigil.properties", "otlp.endpoint=http://127.0.0.1:4999");
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .env("VIGIL_CONFIG", file.toString())
        .env("OTEL_SERVICE_NAME", "otel-named")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4888")
        .env("OTEL_TRACES_SAMPLER_ARG", "0.125")
        .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,service.name=ignored-by-otel-service-name")
        .start()) {
      assertEquals(1.0, app.metrics().value("vigil_agent_info", "service_name", "otel-named"));
      String started = app.awaitLine("started in", WAIT);
      assertTrue(started.contains("traces=http://127.0.0.1:4999/v1/traces (http/protobuf)"), started);
      assertTrue(started.contains("sampling ratio 0.125"), started);
    }
  }

  @Test
  void serviceNameFallsBackToOtelResourceAttributesThenToTheMainClass() {
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .env("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource")
        .start()) {
      assertEquals(1.0, app.metrics().value("vigil_agent_info", "service_name", "from-resource"));
    }
  }

  @Test
  void systemPropertyConfigFileBeatsTheEnvironmentOne() throws IOException {
    Path chosen = write("chosen.properties", "service.name=chosen-file");
    Path ignored = write("ignored.properties", "service.name=ignored-file");
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .property("vigil.config", chosen.toString())
        .env("VIGIL_CONFIG", ignored.toString())
        .start()) {
      assertEquals(1.0, app.metrics().value("vigil_agent_info", "service_name", "chosen-file"));
    }
  }

  @Test
  void badValuesUnknownKeysAndAMissingFileEachGetOneClearLineAndTheAppRuns() throws IOException {
    Path file = write("vigil.properties",
        "traces.sampler.ratio=7",
        "prometheus.prot=9999",
        "jdbc.slow-query-threshold=soon");
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .agentArgs("config=" + file)
        .env("VIGIL_HTTP_ROUTE_MAX_CARDINALITY", "lots")
        .env("VIGIL_NOT_A_KEY", "1")
        .property("vigil.otlp.protocol", "carrier-pigeon")
        .property("vigil.log.levle", "debug")
        .start()) {
      app.awaitLine("idle app started", WAIT);
      assertLine(app, "WARN  Invalid value '7' for traces.sampler.ratio (from " + file
          + "): expected a number from 0.0 to 1.0; using the default 1.0.");
      assertLine(app, "WARN  Unknown configuration key 'prometheus.prot' in " + file
          + "; ignored. Did you mean 'prometheus.port'?");
      assertLine(app, "WARN  Invalid value 'soon' for jdbc.slow-query-threshold (from " + file
          + "): expected a duration such as 250ms, 1s, 1.5s or 2m; using the default 1000ms.");
      assertLine(app, "WARN  Invalid value 'lots' for http.route.max-cardinality (from environment"
          + " VIGIL_HTTP_ROUTE_MAX_CARDINALITY): expected a whole number from 1 to 1000000; using the default 1000.");
      assertLine(app, "WARN  Unknown configuration key 'VIGIL_NOT_A_KEY' in the environment; ignored.");
      assertLine(app, "WARN  Invalid value 'carrier-pigeon' for otlp.protocol (from -Dvigil.otlp.protocol):"
          + " expected http/protobuf; using the default http/protobuf.");
      assertLine(app, "WARN  Unknown configuration key '-Dvigil.log.levle' in the system properties; ignored."
          + " Did you mean '-Dvigil.log.level'?");
      assertTrue(app.awaitLine("started in", WAIT).contains("sampling ratio 1.0"));
      assertEquals(200, app.get("/health/ready").status());
    }
  }

  @Test
  void aMissingConfigFileIsOneLineAndTheAppRuns() {
    Path missing = dir.resolve("absent.properties");
    try (AgentJvm app = AgentJvm.app(IdleApp.class).agentArgs("config=" + missing).start()) {
      app.awaitLine("idle app started", WAIT);
      assertLine(app, "WARN  Config file " + missing + " (named by agent argument config=) does not exist;"
          + " running with the system properties, environment and defaults.");
      assertEquals(1.0, app.metrics().value("vigil_agent_info", "service_name", "IdleApp"));
    }
  }

  @Test
  void aBusyPortIsOneLineAndTheAppRuns() throws IOException {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      int port = occupied.getLocalPort();
      try (AgentJvm app = AgentJvm.app(IdleApp.class).port(port).dontWaitForAgentPort().args("3000").start()) {
        String line = app.awaitLine("Cannot listen on", WAIT);
        assertTrue(line.contains("ERROR Cannot listen on 0.0.0.0:" + port + " ("), line);
        assertTrue(line.endsWith("/metrics and /health are off, the application runs on. Set prometheus.port to a free port."), line);
        assertTrue(app.awaitLine("started in", WAIT).contains("metrics=unavailable"));
        assertEquals(0, app.awaitExit(WAIT));
        app.awaitLine("idle app done", WAIT);
      }
    }
  }

  @Test
  void anApplicationWithTheAgentExitsNormallyWhenMainReturns() {
    try (AgentJvm app = AgentJvm.app(IdleApp.class).args("3000").start()) {
      // The exporter and export threads are daemons: they must never keep the JVM alive. Main runs
      // long enough for them to have started (the agent starts them beside the application).
      assertEquals(0, app.awaitExit(WAIT));
      app.awaitLine("idle app done", WAIT);
    }
  }

  private static void assertLine(AgentJvm app, String expected) {
    String line = app.awaitLine(expected, WAIT);
    assertTrue(line.startsWith("[vigil] "), line);
    assertEquals(1, app.outputLines().stream().filter(l -> l.contains(expected)).count(), expected);
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, java.util.List.of(lines));
    return file;
  }
}
