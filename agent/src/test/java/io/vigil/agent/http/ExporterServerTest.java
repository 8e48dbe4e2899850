package io.vigil.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.http.security.PortSecurity;
import io.vigil.api.config.HealthDetails;
import io.vigil.api.config.PortSecurityConfig;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The port's paths with basic authentication on (no TLS: the handshake is the integration tests'
 * business): which paths ask for credentials, what each {@code health.details} shows to whom, and
 * that refusals are counted.
 */
class ExporterServerTest {

  private static final String AUTHORIZED = "Basic " + Base64.getEncoder().encodeToString(
      "prometheus:pw".getBytes(StandardCharsets.UTF_8));
  private static final String DETAILS = "{\"status\":\"UP\",\"service\":\"svc\"";

  private final HttpClient http = HttpClient.newHttpClient();
  private final CollectorRegistry registry = new CollectorRegistry(true);
  private final AgentMetrics metrics = new AgentMetrics(registry, "1.0", "svc", List.of());
  private ExporterServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private void start(HealthDetails details) throws Exception {
    PortSecurityConfig config = PortSecurityConfig.builder().basicAuth("prometheus", "pw", null).healthDetails(details).build();
    HealthHandler health = new HealthHandler(new HealthRegistry(), "1.0", "svc", System.nanoTime(), details);
    ErrorGroups groups = new ErrorGroups(10, ErrorGroups.Listener.NONE);
    server = ExporterServer.start("127.0.0.1", 0, PortSecurity.open(config, metrics::portAuthFailed),
        new MetricsHandler(registry), health, new ErrorsHandler(groups),
        SummaryHandlers.of(registry, health, groups));
    assertNotNull(server);
  }

  private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private double refusals() {
    return registry.getSampleValue("vigil_agent_port_auth_failures_total");
  }

  @Test
  void everyPathButTheTwoProbesAsksForCredentialsAndEachRefusalIsCounted() throws Exception {
    start(HealthDetails.AUTHORIZED);
    assertEquals(0.0, refusals());
    List<String> guarded = List.of("/metrics", "/errors", "/api/summary", "/api/summary?window=1h", "/health", "/health/", "/health/livex", "/health/ready/", "/", "/x");
    for (String path : guarded) {
      HttpResponse<String> response = get(path, null);
      assertEquals(401, response.statusCode(), path);
      assertEquals("Basic realm=\"vigil\", charset=\"UTF-8\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
    }
    assertEquals(guarded.size(), refusals());
    assertEquals(200, get("/health/live", null).statusCode());
    assertEquals(200, get("/health/ready", null).statusCode());
    assertEquals(200, get("/metrics", AUTHORIZED).statusCode());
    assertEquals(200, get("/errors", AUTHORIZED).statusCode());
    assertEquals(404, get("/health/livex", AUTHORIZED).statusCode());
    assertEquals(guarded.size(), refusals());
  }

  @Test
  void authorizedShowsDetailsOnlyOnHealthToAnAuthenticatedRequest() throws Exception {
    start(HealthDetails.AUTHORIZED);
    assertEquals(DETAILS, get("/health", AUTHORIZED).body().substring(0, DETAILS.length()));
    assertEquals("{\"status\":\"UP\"}\n", get("/health/live", null).body());
    assertEquals("{\"status\":\"UP\"}\n", get("/health/live", AUTHORIZED).body());
    assertEquals("{\"status\":\"UP\"}\n", get("/health/ready", null).body());
    assertTrue(get("/api/summary", AUTHORIZED).body().contains(",\"health\":" + DETAILS),
        "the summary's health is /health's for the same caller");
  }

  @Test
  void alwaysShowsDetailsOnTheProbesTooAndNeverToNobody() throws Exception {
    start(HealthDetails.ALWAYS);
    assertEquals(DETAILS, get("/health/live", null).body().substring(0, DETAILS.length()));
    assertEquals(401, get("/health", null).statusCode());
    server.stop();
    start(HealthDetails.NEVER);
    assertEquals("{\"status\":\"UP\"}\n", get("/health", AUTHORIZED).body());
    assertEquals("{\"status\":\"UP\"}\n", get("/health/live", null).body());
    assertTrue(get("/api/summary?window=24h", AUTHORIZED).body().contains(",\"health\":{\"status\":\"UP\"},"));
  }
}
