package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.apps.BusyApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.MetricsSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application that ships its own Byte Buddy, OpenTelemetry SDK, simpleclient and SLF4J with
 * Logback, in other versions than the agent's: both must keep working, each with its own
 * registry and its own logging.
 */
class BundledLibrariesIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void applicationAndAgentEachKeepTheirOwnLibraries() {
    String withoutAgent;
    try (AgentJvm plain = AgentJvm.app(BusyApp.class).withoutAgent().args("0").start()) {
      assertEquals(0, plain.awaitExit(WAIT));
      withoutAgent = applicationLines(plain);
    }

    try (AgentJvm app = AgentJvm.app(BusyApp.class).start()) {
      app.awaitLine("busy app started", WAIT);

      // The application's libraries did exactly what they do without the agent.
      assertEquals(withoutAgent, applicationLines(app));
      app.awaitLine("app bytebuddy from byte-buddy-1.14.18.jar: made by the application's Byte Buddy", WAIT);
      app.awaitLine("app opentelemetry spans: 1 app-operation", WAIT);
      app.awaitLine("app registry: app_requests_total 3.0", WAIT);
      app.awaitLine("app registry size: 2", WAIT);
      app.awaitLine("APPLOG INFO [main] BusyApp - application log line through logback", WAIT);

      // The agent works too, with its own registry.
      MetricsSnapshot metrics = app.metrics();
      assertEquals(1.0, metrics.value("vigil_agent_info", "service_name", "BusyApp"));
      assertTrue(metrics.has("jvm_threads_current"));
      assertFalse(metrics.has("app_requests_total"), "the application's registry stays its own");
      assertTrue(app.awaitLine("started in", WAIT).startsWith("[vigil] "));
      assertFalse(app.output().contains("SLF4J"), "no SLF4J binding warnings from either side:\n" + app.output());
    }
  }

  /** The lines the application itself printed (not the agent's, not the JVM's). */
  private static String applicationLines(AgentJvm app) {
    List<String> lines = app.outputLines().stream()
        .filter(l -> l.startsWith("app ") || l.startsWith("APPLOG") || l.equals("busy app started"))
        // A creation timestamp differs from run to run.
        .filter(l -> !l.contains("_created "))
        .toList();
    return String.join("\n", lines);
  }
}
