package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.it.apps.IdleApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.Jdk;
import io.vigil.it.harness.MetricsSnapshot;
import io.vigil.it.harness.Sample;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every application gets from the agent with no instrumentation involved: JVM and agent
 * metrics, the health endpoints, and class loading that keeps the agent's implementation apart.
 * One application JVM per JDK serves all the checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FoundationChecks {

  private AgentJvm app;

  abstract Jdk jdk();

  @BeforeAll
  void startApplication() {
    app = AgentJvm.app(IdleApp.class).jdk(jdk()).start();
    app.awaitLine("idle app started", Duration.ofSeconds(30));
  }

  @AfterAll
  void stopApplication() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void servesJvmProcessAndAgentMetrics() {
    MetricsSnapshot metrics = app.metrics();

    assertEquals(1.0, metrics.value("vigil_agent_info", "service_name", "IdleApp", "version", "0.1.0-SNAPSHOT"));
    assertTrue(metrics.value("jvm_memory_bytes_used", "area", "heap") > 0);
    assertTrue(metrics.value("process_resident_memory_bytes") > 10_000_000);
    assertTrue(metrics.value("jvm_threads_current") > 1);
    String runtimeVersion = metrics.find("jvm_info").get(0).label("version");
    assertTrue(runtimeVersion.startsWith(jdk() == Jdk.JDK17 ? "17" : "25"), runtimeVersion);
    for (String counter : List.of(
        "vigil_agent_spans_exported_total", "vigil_agent_spans_dropped_total",
        "vigil_agent_export_failures_total", "vigil_agent_route_overflow_total")) {
      assertEquals(0.0, metrics.value(counter), counter);
    }
    for (String instrumentation : List.of("servlet", "jdbc", "hikari")) {
      assertEquals(0.0, metrics.value("vigil_agent_instrumentation_errors_total", "instrumentation", instrumentation));
    }
  }

  @Test
  void exposesNoCreatedSeriesInTheClassicFormat() {
    assertFalse(app.metrics().samples().stream().anyMatch(s -> s.name().endsWith("_created")),
        "_created series double the series count of every counter for no use in Prometheus");
  }

  @Test
  void servesOpenMetricsWhenAskedFor() {
    AgentJvm.HttpResult result = app.get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertEquals(200, result.status());
    assertTrue(result.contentType().startsWith("application/openmetrics-text"), result.contentType());

    MetricsSnapshot metrics = app.openMetrics();
    assertEquals(1.0, metrics.value("vigil_agent_info", "service_name", "IdleApp", "version", "0.1.0-SNAPSHOT"));
  }

  @Test
  void classicFormatHasThePrometheusContentType() {
    AgentJvm.HttpResult result = app.get("/metrics");
    assertEquals("text/plain; version=0.0.4; charset=utf-8", result.contentType());
  }

  @Test
  void healthEndpointsAnswerWithJson() {
    AgentJvm.HttpResult live = app.get("/health/live");
    assertEquals(200, live.status(), live.body());
    AgentJvm.HttpResult ready = app.get("/health/ready");
    assertEquals(200, ready.status(), ready.body());

    AgentJvm.HttpResult health = app.get("/health");
    assertEquals(200, health.status());
    assertTrue(health.contentType().startsWith("application/json"));
    JsonNode json = app.json(health);
    assertEquals("UP", json.get("status").asText());
    assertEquals("IdleApp", json.get("service").asText());
    assertEquals("0.1.0-SNAPSHOT", json.get("version").asText());
    assertTrue(json.get("uptime_seconds").asDouble() > 0);
    JsonNode export = json.get("checks").get(0);
    assertEquals("span-export", export.get("name").asText());
    assertEquals("liveness", export.get("kind").asText());
    assertEquals("UP", export.get("status").asText());
    assertTrue(export.get("latency_ms").isNumber());
    assertEquals(2048, export.get("details").get("queue_capacity").asInt());
  }

  @Test
  void addsNoWarningsToTheApplicationsOutput() {
    // Not even the JVM's "Sharing is only supported for boot loader classes because bootstrap
    // classpath has been appended": the facades are defined in the boot loader, nothing is appended.
    List<String> warnings = app.outputLines().stream()
        .filter(l -> l.contains("WARNING") || l.contains("WARN ") || l.contains("Sharing is only supported"))
        .toList();
    assertEquals(List.of(), warnings);
  }

  @Test
  void unknownPathsAndWritesAreRefused() {
    assertEquals(404, app.get("/nothing-here").status());
    assertEquals(404, app.get("/health/other").status());
  }

  @Test
  void bootstrapFacadesAreVisibleToEveryLoaderButTheAgentIsNot() {
    app.awaitLine("bootstrap facade visible from an isolated loader: true", Duration.ofSeconds(5));
    app.awaitLine("agent implementation visible from an isolated loader: false", Duration.ofSeconds(5));
  }

  @Test
  void agentLibrariesAreRelocated() {
    // The application's own Byte Buddy is the one it sees under the unrelocated name.
    app.awaitLine("application's net.bytebuddy.ByteBuddy comes from: byte-buddy-1.14.18.jar", Duration.ofSeconds(5));
  }

  @Test
  void logsOneStartUpLine() {
    String line = app.awaitLine("started in", Duration.ofSeconds(5));
    assertTrue(line.startsWith("[vigil] "), line);
    assertTrue(line.contains("service=IdleApp"), line);
    assertTrue(line.contains("metrics=http://0.0.0.0:" + app.port() + "/metrics"), line);
    assertTrue(line.contains("instrumentations=servlet,jdbc,hikari"), line);
    assertEquals(1, app.outputLines().stream().filter(l -> l.contains("started in")).count());
    List<Sample> exemplarFree = app.metrics().samples();
    assertTrue(exemplarFree.stream().allMatch(s -> s.exemplarLabels() == null));
  }
}
