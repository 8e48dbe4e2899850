package io.vigil.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import io.vigil.agent.http.security.PortSecurity;
import io.vigil.api.config.HealthDetails;
import io.vigil.api.config.PortSecurityConfig;
import io.vigil.api.errors.ErrorGroups;
import io.vigil.api.health.HealthRegistry;
import io.vigil.api.metrics.AgentMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /status} on a real agent port: the page, its headers, and that it sits behind the port's
 * authentication like every other path. What the page shows is the browser test's business
 * (StatusPageIT); here, what must hold of the file itself.
 */
class StatusPageHandlerTest {

  private static final String AUTHORIZED = "Basic " + Base64.getEncoder().encodeToString(
      "ops:pw".getBytes(StandardCharsets.UTF_8));

  private final HttpClient http = HttpClient.newHttpClient();
  private final CollectorRegistry registry = new CollectorRegistry(true);
  private ExporterServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private void start(boolean withAuthentication) throws Exception {
    AgentMetrics metrics = new AgentMetrics(registry, "1.0", "svc", List.of());
    PortSecurityConfig.Builder config = PortSecurityConfig.builder().healthDetails(HealthDetails.ALWAYS);
    if (withAuthentication) {
      config.basicAuth("ops", "pw", null);
    }
    HealthHandler health = new HealthHandler(new HealthRegistry(), "1.0", "svc", System.nanoTime(), HealthDetails.ALWAYS);
    ErrorGroups groups = new ErrorGroups(10, ErrorGroups.Listener.NONE);
    server = ExporterServer.start("127.0.0.1", 0, PortSecurity.open(config.build(), metrics::portAuthFailed),
        new MetricsHandler(registry), health, new ErrorsHandler(groups), SummaryHandlers.of(registry, health, groups));
    assertNotNull(server);
  }

  private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageWithHeadersThatLetOnlyItsOwnInlineScriptAndStyleRun() throws Exception {
    start(false);
    HttpResponse<String> page = send("GET", "/status", null);
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    String html = page.body();
    String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertEquals("default-src 'none'; connect-src 'self'; img-src data:; script-src " + sha256(between(html, "<script>", "</script>"))
        + "; style-src " + sha256(between(html, "<style>", "</style>"))
        + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", policy);

    HttpResponse<String> head = send("HEAD", "/status", null);
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(405, send("POST", "/status", null).statusCode());
    assertEquals(404, send("GET", "/status/x", null).statusCode());
    assertEquals(404, send("GET", "/statusx", null).statusCode());
    HttpResponse<String> slash = send("GET", "/status/", null);
    assertEquals(301, slash.statusCode());
    assertEquals("../status", slash.headers().firstValue("Location").orElse(""));
  }

  @Test
  void thePageIsSelfContainedSmallAndNeverInsertsDataAsMarkup() throws Exception {
    start(false);
    String html = send("GET", "/status", null).body();
    assertTrue(html.getBytes(StandardCharsets.UTF_8).length < 20 * 1024, "the page is " + html.length() + " characters");
    Matcher urls = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", Pattern.CASE_INSENSITIVE).matcher(html);
    while (urls.find()) {
      assertEquals("http://www.w3.org", urls.group(), "only the SVG namespace name, which is never fetched");
    }
    for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "src=", "@import", "url(")) {
      assertFalse(html.contains(forbidden), forbidden);
    }
    assertTrue(html.contains("fetch('api/summary?window=' + encodeURIComponent(select.value)"), "a relative URL");
    for (String window : List.of("5m", "1h", "24h")) {
      assertTrue(html.contains("<option value=\"" + window + "\">"), window);
    }
    for (String table : List.of("checks", "routes", "statements", "pools", "errors")) {
      assertTrue(html.contains("<tbody id=\"" + table + "\">"), table);
    }
    assertEquals(5, count(html, "<caption>"));
    assertEquals(count(html, "<th "), count(html, "<th scope=\"col\""), "every header cell has a scope");
    assertTrue(html.contains("@media (prefers-color-scheme:dark)"));
  }

  @Test
  void behindThePortsAuthenticationLikeEveryOtherPath() throws Exception {
    start(true);
    HttpResponse<String> refused = send("GET", "/status", null);
    assertEquals(401, refused.statusCode());
    assertEquals("", refused.body());
    assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"vigil\""));
    assertEquals(1.0, registry.getSampleValue("vigil_agent_port_auth_failures_total"));
    HttpResponse<String> page = send("GET", "/status", AUTHORIZED);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().startsWith("<!doctype html>"));
  }

  @Test
  void aPageWithoutItsScriptIsNotServedUnprotected() throws Exception {
    com.sun.net.httpserver.HttpServer bare = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    bare.createContext("/status", new StatusPageHandler("<html><style></style></html>".getBytes(StandardCharsets.UTF_8)));
    bare.start();
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(500, response.statusCode());
      assertEquals("The status page is missing from the agent jar or malformed.\n", response.body());
    } finally {
      bare.stop(0);
    }
  }

  private static String between(String text, String open, String close) {
    int start = text.indexOf(open);
    int end = text.indexOf(close);
    assertTrue(start >= 0 && end > start, open);
    return text.substring(start + open.length(), end);
  }

  private static String sha256(String text) throws Exception {
    return "'sha256-" + Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) + "'";
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
