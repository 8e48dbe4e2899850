package io.vigil.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.agent.trace.otlp.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code check} command end to end against {@link RecordedAgent}: a real HTTP(S) server on
 * 127.0.0.1 answering recorded documents of the summary's documented shape. Each case asserts the
 * exit code and the line a monitoring system shows.
 */
class CheckCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Result(int code, String out, String err) {
    String firstLine() {
      return out.split("\n", 2)[0];
    }
  }

  private static Result check(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>();
    all.add("check");
    all.addAll(Arrays.asList(args));
    int code = CheckCommand.run(all, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Result check(String... args) {
    return check(Map.of(), args);
  }

  @Test
  void aHealthyAgentIsOkWithTheTotalsAndPerfdataOnTheFirstLine() {
    try (RecordedAgent agent = RecordedAgent.http().serving("health-up.json", "summary-healthy.json")) {
      Result result = check(agent.url());
      assertEquals(0, result.code(), result.out());
      assertEquals("VIGIL OK - petclinic: 1234 requests in 5m, error ratio 0.16 %, p95 45 ms | 'requests'=1234;;;0"
          + " 'errors'=2;;;0 'error_ratio'=0.00162;0.01;0.05;0;1 'p95'=0.045s;;;0 'pool_petclinic_active'=1;;;0;5"
          + " 'pool_petclinic_pending'=0;;;0", result.firstLine());
      assertTrue(result.out().contains("health: UP (span-export UP, servlet-container UP, hikari:petclinic UP)"), result.out());
      assertTrue(result.out().contains("  GET /owners/{id}: 812 requests, error ratio 0.25 % (2), p95 41 ms\n"), result.out());
      assertTrue(result.out().contains("pool petclinic: 1/5 in use, 4 idle, 0 waiting, 0 timeouts\n"), result.out());
      assertTrue(result.out().contains("trace export: on, 2410 spans exported, 0 dropped, 0 failures\n"), result.out());
      assertEquals(List.of("/health", "/api/summary?window=5m"), agent.requests);
    }
  }

  @Test
  void errorRatioAndP95ThresholdsGiveWarningOrCriticalPerRouteAndOverall() {
    try (RecordedAgent agent = RecordedAgent.http().serving("health-up.json", "summary-degraded.json")) {
      // Defaults 0.01,0.05 and 10 requests: all requests at 3 % and /owners at 2 % warn; /fail (8 requests) is not judged.
      Result defaults = check(agent.url());
      assertEquals(1, defaults.code(), defaults.out());
      assertTrue(defaults.firstLine().startsWith("VIGIL WARNING - petclinic: all requests error ratio 3 % (18 of 600) over 1 %"
          + " (+3 more); 600 requests in 5m, error ratio 3 %, p95 620 ms | "), defaults.firstLine());
      assertTrue(defaults.out().contains("WARNING: GET /owners: error ratio 2 % (10 of 500) over 1 %\n"), defaults.out());
      assertFalse(defaults.out().contains("GET /fail: error ratio"), defaults.out());
      assertTrue(defaults.out().contains("WARNING: trace export: 37 span(s) dropped in 5m (queue full)\n"), defaults.out());
      assertTrue(defaults.out().contains("WARNING: trace export: 2 export failure(s) in 5m, last: Failed to export spans:"), defaults.out());
      assertTrue(defaults.out().contains("note: errors: 1 new error group(s) in 5m: java.lang.IllegalStateException (servlet on /fail)\n"),
          defaults.out());
      assertTrue(defaults.out().contains("note: window: the agent has data for 180 s of the 5m window"), defaults.out());

      Result judgedFromOne = check(agent.url(), "--min-requests", "1");
      assertEquals(2, judgedFromOne.code());
      assertTrue(judgedFromOne.firstLine().startsWith("VIGIL CRITICAL - petclinic: GET /fail error ratio 100 % (8 of 8) over 5 %"),
          judgedFromOne.firstLine());

      Result percentages = check(agent.url(), "--max-error-ratio", "1%,2.5%");
      assertEquals(2, percentages.code(), percentages.out());
      assertTrue(percentages.out().contains("CRITICAL: all requests: error ratio 3 % (18 of 600) over 2.5 %\n"), percentages.out());
      Result lenient = check(agent.url(), "--max-error-ratio", "0.5");
      assertEquals(1, lenient.code(), "one value is the critical limit only; the export warnings remain: " + lenient.out());
      assertFalse(lenient.out().contains("error ratio 3 % (18 of 600) over"), lenient.out());

      Result p95 = check(agent.url(), "--max-error-ratio", "0.5", "--max-p95", "250ms,1s");
      assertEquals(2, p95.code());
      assertTrue(p95.out().contains("CRITICAL: GET /slow: p95 1.8 s over 1 s\n"), p95.out());
      assertTrue(p95.out().contains("WARNING: all requests: p95 620 ms over 250 ms\n"), p95.out());
      assertFalse(p95.out().contains("GET /owners: p95"), "200 ms is under 250 ms: " + p95.out());
      assertTrue(p95.firstLine().contains(" 'p95'=0.62s;0.25;1;0"), p95.firstLine());

      Result newErrors = check(agent.url(), "--max-error-ratio", "1", "--warn-on-new-errors");
      assertTrue(newErrors.out().contains("WARNING: errors: 1 new error group(s) in 5m"), newErrors.out());
    }
  }

  @Test
  void aSaturatedPoolWarnsAndTimeoutsPastTheCriticalLimitAreCritical() {
    try (RecordedAgent agent = RecordedAgent.http().serving("health-up.json", "summary-pool-exhausted.json")) {
      Result result = check(agent.url(), "--window", "1h");
      assertEquals(1, result.code(), result.out());
      assertTrue(result.firstLine().startsWith("VIGIL WARNING - orders: pool orders-db saturated: 2/2 connections in use, 3 waiting"
          + " (+1 more); 0 requests in 1h, error ratio n/a, p95 n/a | "), result.firstLine());
      assertTrue(result.out().contains("WARNING: pool orders-db: 4 connection timeout(s) in 1h, over 0\n"), result.out());
      assertFalse(result.out().contains("WARNING: pool reports-db"), result.out());
      assertEquals("/api/summary?window=1h", agent.requests.get(1));

      Result critical = check(agent.url(), "--window", "1h", "--max-pool-timeouts", "1,3");
      assertEquals(2, critical.code());
      assertTrue(critical.out().contains("CRITICAL: pool orders-db: 4 connection timeout(s) in 1h, over 3\n"), critical.out());
    }
  }

  @Test
  void healthDownIsCriticalWithTheFailingCheckAndItsReason() {
    try (RecordedAgent agent = RecordedAgent.http().serving("health-down.json", "summary-healthy.json")) {
      Result result = check(agent.url());
      assertEquals(2, result.code());
      assertTrue(result.firstLine().startsWith("VIGIL CRITICAL - petclinic: health DOWN: hikari:petclinic (pool exhausted: no idle"
          + " connection, 5/5 in use, 7 request(s) waiting for at least 3120 ms); 1234 requests"), result.firstLine());
    }
  }

  @Test
  void credentialsGoInTheHeaderAndA401IsUnknownWithWhatToGive(@TempDir Path dir) throws Exception {
    try (RecordedAgent agent = RecordedAgent.http().answer("/health", 401, "")) {
      Result anonymous = check(agent.url());
      assertEquals(3, anonymous.code());
      assertEquals("VIGIL UNKNOWN - the agent asks for credentials (HTTP 401): give --user with --password-file,"
          + " --password-env or VIGIL_CHECK_PASSWORD, or --bearer-token-file\n", anonymous.out());
      Result refused = check(Map.of("VIGIL_CHECK_PASSWORD", "wrong"), agent.url(), "--user", "ops");
      assertEquals(3, refused.code());
      assertEquals("VIGIL UNKNOWN - the agent refused the credentials (HTTP 401)\n", refused.out());
      assertEquals("Basic " + Base64.getEncoder().encodeToString("ops:wrong".getBytes(StandardCharsets.UTF_8)),
          agent.authorizations.get(1));
      assertFalse(refused.out().contains("wrong"), "the password is never printed");
    }
    try (RecordedAgent agent = RecordedAgent.http().serving("health-up.json", "summary-healthy.json")) {
      Path token = Files.writeString(dir.resolve("token"), "s3cr3t-token\n");
      assertEquals(0, check(agent.url(), "--bearer-token-file", token.toString()).code());
      assertEquals(List.of("Bearer s3cr3t-token", "Bearer s3cr3t-token"), agent.authorizations);
    }
    try (RecordedAgent agent = RecordedAgent.http().answer("/health", 403, "")) {
      Result result = check(agent.url());
      assertEquals(3, result.code());
      assertTrue(result.out().startsWith("VIGIL UNKNOWN - the agent refused the request (HTTP 403)"), result.out());
    }
  }

  @Test
  void answersThatAreNotASummaryAreUnknown() {
    try (RecordedAgent agent = RecordedAgent.http().serving("health-up.json", "summary-healthy.json")) {
      agent.answer("/api/summary", 200, "<html><body>login</body></html>");
      Result garbage = check(agent.url());
      assertEquals(3, garbage.code());
      assertEquals("VIGIL UNKNOWN - the answer of /api/summary is not JSON (unexpected character '<' at character 1):"
          + " <html><body>login</body></html>\n", garbage.out());
      agent.answer("/api/summary", 200, "{\"status\":\"UP\"}");
      assertEquals("VIGIL UNKNOWN - the answer of /api/summary is not a Vigil summary (no totals or routes)\n", check(agent.url()).out());
      agent.answer("/api/summary", 404, "Not found");
      Result old = check(agent.url());
      assertEquals(3, old.code());
      assertTrue(old.out().startsWith("VIGIL UNKNOWN - no /api/summary at http://127.0.0.1:"), old.out());
      agent.answer("/api/summary", 500, "boom\nstack");
      assertTrue(check(agent.url()).out().endsWith("/api/summary answered HTTP 500: boom\n"));
      agent.answer("/health", 200, "{\"status\":");
      assertEquals("VIGIL UNKNOWN - the answer of /health is not JSON (unexpected end at character 11): {\"status\":\n",
          check(agent.url()).out());
    }
  }

  @Test
  void aPortNobodyListensOnIsUnknown() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Result result = check("http://127.0.0.1:" + port);
    assertEquals(3, result.code());
    assertTrue(result.out().startsWith("VIGIL UNKNOWN - cannot connect to http://127.0.0.1:" + port + "/health"), result.out());
  }

  @Test
  void anAgentThatDoesNotAnswerInTimeIsUnknownAfterTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (Exception closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();
      Result result = check("http://127.0.0.1:" + silent.getLocalPort(), "--timeout", "300ms");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(3, result.code());
      assertTrue(result.out().startsWith("VIGIL UNKNOWN - no answer from http://127.0.0.1:" + silent.getLocalPort()
          + "/health in time (Read timed out)"), result.out());
      assertTrue(millis < 5000, "took " + millis + " ms");
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void httpsIsVerifiedAgainstTheGivenCaAndNeverSkipped(@TempDir Path dir) throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificates.serverKeyStore)) {
      store.load(in, TestCertificates.PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, TestCertificates.PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    try (RecordedAgent agent = RecordedAgent.https(tls).serving("health-up.json", "summary-healthy.json")) {
      Result trusted = check(agent.url(), "--cacert", certificates.caPem.toString());
      assertEquals(0, trusted.code(), trusted.out());
      Result untrusted = check(agent.url());
      assertEquals(3, untrusted.code());
      assertEquals("VIGIL UNKNOWN - TLS failure at " + agent.url() + "/health: the agent's certificate is not trusted;"
          + " give its CA with --cacert FILE\n", untrusted.out());
      Result otherCa = check(agent.url(), "--cacert", certificates.otherCaPem.toString());
      assertEquals(3, otherCa.code());
      Result plain = check(agent.url().replace("https:", "http:"), "--timeout", "2s");
      assertEquals(3, plain.code());
      assertTrue(plain.out().startsWith("VIGIL UNKNOWN - "), plain.out());
      Result insecure = check(agent.url(), "--insecure");
      assertEquals(3, insecure.code());
      assertEquals("VIGIL UNKNOWN - --insecure is not offered: give the agent's CA with --cacert FILE\n", insecure.out());
    }
  }

  @Test
  void jsonGivesOneDocumentWithStatusExitCodeFindingsAndFigures() throws Exception {
    try (RecordedAgent agent = RecordedAgent.http().serving("health-up.json", "summary-degraded.json")) {
      Result result = check(agent.url(), "--json", "--min-requests", "1");
      assertEquals(2, result.code());
      JsonNode doc = JSON.readTree(result.out());
      assertEquals("CRITICAL", doc.get("status").asText());
      assertEquals(2, doc.get("exitCode").asInt());
      assertEquals("5m", doc.get("window").asText());
      assertTrue(doc.get("summary").asText().startsWith("VIGIL CRITICAL - petclinic: GET /fail error ratio 100 %"));
      JsonNode first = doc.get("findings").get(0);
      assertEquals("CRITICAL", first.get("severity").asText());
      assertEquals("GET /fail", first.get("subject").asText());
      assertEquals(600, doc.at("/figures/totals/requests").asInt());
      assertEquals(1.8, doc.at("/figures/routes/1/p95Seconds").asDouble());
      assertEquals("UP", doc.at("/figures/health/status").asText());
      assertEquals(37, doc.at("/figures/export/spansDropped").asInt());
    }
    Result unknown = check("http://127.0.0.1:1", "--json");
    assertEquals(3, unknown.code());
    JsonNode doc = JSON.readTree(unknown.out());
    assertEquals("UNKNOWN", doc.get("status").asText());
    assertEquals(3, doc.get("exitCode").asInt());
    assertTrue(doc.at("/findings/0/text").asText().startsWith("cannot connect to http://127.0.0.1:1/health"));
  }

  @Test
  void helpAndUsageErrors() {
    Result help = check("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("a single value is the CRITICAL limit, with no\nWARNING level"), help.out());
    Result bad = check("http://127.0.0.1:1", "--window", "7d");
    assertEquals(3, bad.code());
    assertEquals("VIGIL UNKNOWN - --window must be one of 5m, 1h, 24h, not '7d'\n", bad.out());
    assertTrue(bad.err().contains("--help"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(3, CheckCommand.run(List.of(), Map.of(), new PrintStream(out), new PrintStream(err)));
    assertTrue(err.toString().contains("Usage: java -jar vigil-agent.jar check <url>"));
  }
}
