package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.apps.IdleApp;
import io.vigil.it.harness.AgentJvm;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port security settings that cannot be used: the port must stay off rather than open without the
 * protection asked for, say why in one line, and never print the secret, however the settings are
 * malformed. The application runs on in every case.
 */
class PortSecuritySettingsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void malformedSettingsKeepThePortOffAndNeverPrintTheSecret() throws IOException {
    String secret = "pw-" + UUID.randomUUID();
    Path file = dir.resolve("vigil.properties");
    // A password with no user name, the same secret under a misspelt key, and a bad health.details.
    Files.writeString(file, String.join("\n",
        "prometheus.auth.password=" + secret,
        "prometheus.auth.pasword=" + secret,
        "health.details=sometimes") + "\n");
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .agentArgs("config=" + file)
        .env("VIGIL_PROMETHEUS_AUTH_BEARER_TOKEN", secret)
        .dontWaitForAgentPort()
        .start()) {
      app.awaitLine("The agent port stays off: a password is set without prometheus.auth.username", WAIT);
      app.awaitLine("Unknown configuration key 'prometheus.auth.pasword'", WAIT);
      app.awaitLine("Unknown configuration key 'VIGIL_PROMETHEUS_AUTH_BEARER_TOKEN'", WAIT);
      app.awaitLine("Invalid value 'sometimes' for health.details", WAIT);
      app.awaitLine("idle app started", WAIT);
      assertPortClosed(app);
      assertTrue(app.isAlive(), app.output());
      assertFalse(app.output().contains(secret), "the secret is in the output:\n" + app.output());
    }
  }

  @Test
  void aMissingCertificateFileKeepsThePortOffRatherThanPlaintext() throws IOException {
    Path key = Files.writeString(dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
    Path missing = dir.resolve("no-such.crt");
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .property("vigil.prometheus.tls.certificate", missing.toString())
        .property("vigil.prometheus.tls.private-key", key.toString())
        .dontWaitForAgentPort()
        .start()) {
      String line = app.awaitLine("The agent port stays off", WAIT);
      assertTrue(line.contains("prometheus.tls.certificate file " + missing + " cannot be read"), line);
      app.awaitLine("idle app started", WAIT);
      assertPortClosed(app);
      assertTrue(app.isAlive(), app.output());
    }
  }

  /** Nothing listens: after the agent has finished starting (its start line), a connection is refused. */
  private static void assertPortClosed(AgentJvm app) {
    app.awaitLine("Vigil ", WAIT);
    app.awaitLine("metrics=unavailable", WAIT);
    assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), app.port()).close(),
        "the agent port accepts connections. Output:\n" + app.output());
  }
}
