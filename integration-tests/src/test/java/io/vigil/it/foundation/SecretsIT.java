package io.vigil.it.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.it.apps.QueryLoopApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.OtlpReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A known secret put into the settings every way a user might, well-formed and malformed, must
 * not appear in anything the agent writes: the application's standard output and error (the
 * agent's log), {@code /health}, {@code /metrics}, and the spans it exports.
 */
class SecretsIT {

  private static final String SECRET = "s3cr3t-IT-9f8e7d";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void malformedSecretSettingsAndAFailingCollectorPrintNoSecret() {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      receiver.respondWith(503); // export failures are logged, with the endpoint in the message
      String endpoint = receiver.endpoint().replace("http://", "http://vigil:" + SECRET + "@");
      try (AgentJvm app = AgentJvm.app(QueryLoopApp.class)
          .agentArgs("otlp.headers=Authorization=Bearer " + SECRET)
          .property("vigil.otlp.endpoint", endpoint)
          .property("vigil.otlp.headers", "Authorization=Bearer " + SECRET + ",broken")
          // With a user name, so that the port opens behind the password rather than staying off.
          .env("VIGIL_PROMETHEUS_AUTH_USERNAME", "prometheus")
          .env("VIGIL_PROMETHEUS_AUTH_PASSWORD", SECRET)
          .start()) {
        app.awaitLine("Invalid value", WAIT);
        app.awaitLine("Span export failing", WAIT);
        app.awaitLine("The agent port takes a password or token over plain HTTP", WAIT);
        // Behind the password, what an authorized scraper gets must not carry the secret either.
        String basic = "Basic " + Base64.getEncoder().encodeToString(
            ("prometheus:" + SECRET).getBytes(StandardCharsets.UTF_8));
        List<String> authorized = new ArrayList<>();
        for (String path : List.of("/health", "/metrics", "/errors")) {
          AgentJvm.HttpResult result = app.getAuthorized(path, basic);
          assertEquals(200, result.status(), path);
          authorized.add(result.body());
        }
        assertNoSecret(app, authorized);
      }
    }
  }

  @Test
  void wellFormedSecretHeadersAreSentButNeverExported() {
    try (OtlpReceiver receiver = new OtlpReceiver();
        AgentJvm app = AgentJvm.app(QueryLoopApp.class)
            .otlp(receiver)
            .property("vigil.otlp.headers", "Authorization=Bearer " + SECRET)
            .start()) {
      app.await(() -> receiver.spans().size() >= 5, WAIT, "spans exported");
      List<String> spans = new ArrayList<>();
      receiver.resourceSpans().forEach(s -> spans.add(s.toString()));
      assertNoSecret(app, spans);
    }
  }

  private static void assertNoSecret(AgentJvm app, List<String> exported) {
    List<String> outputs = new ArrayList<>(exported);
    for (String path : List.of("/health", "/health/live", "/health/ready", "/metrics", "/no-such-path")) {
      outputs.add(app.get(path).body());
    }
    outputs.add(app.output());
    assertTrue(app.isAlive(), "the application runs on");
    for (String output : outputs) {
      assertFalse(output.contains(SECRET), "the secret is printed in:\n" + output);
    }
    assertEquals(-1, app.output().indexOf("Bearer"), app.output());
  }
}
