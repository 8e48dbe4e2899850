package io.vigil.it.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.it.apps.IdleApp;
import io.vigil.it.apps.hikari.HikariPoolApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.DemoApp;
import io.vigil.it.harness.FreePort;
import io.vigil.it.harness.Jdk;
import io.vigil.it.harness.OtlpReceiver;
import io.vigil.it.harness.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar vigil-agent.jar check} as an operator or a pipeline runs it: the built jar in a
 * JVM of its own, against real applications with the agent attached. Exit codes and first lines
 * for a healthy demo, the same demo after a load of failures, a HikariCP pool held exhausted, a
 * port nobody listens on, and a port behind TLS and a password. It must not load the weaving.
 */
class CheckCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The summary is kept in one-minute aggregates; a minute and a little is the most it may lag. */
  private static final Duration SHOWN = Duration.ofSeconds(150);

  record Run(int code, String out) {
    String firstLine() {
      return out.split("\n", 2)[0];
    }

    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  static Run check(Map<String, String> env, List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Jdk.JDK17.javaExecutable().toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(AgentJvm.agentJar().toString());
    command.add("check");
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile("vigil-check-", ".out");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_") || k.startsWith("JAVA_TOOL"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("check did not finish within 60 s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Run check(String... args) {
    return check(Map.of(), List.of(), args);
  }

  /** Runs {@code check --json} until its figures satisfy {@code ready}, then the given check once. */
  static void awaitFigures(String url, Predicate<JsonNode> ready, String what) {
    long deadline = System.nanoTime() + SHOWN.toNanos();
    Run last = null;
    while (System.nanoTime() < deadline) {
      last = check(url, "--json");
      if (last.code() != 3 && ready.test(last.json().get("figures"))) {
        return;
      }
      sleep(2000);
    }
    throw new AssertionError("the summary never showed " + what + " within " + SHOWN + "; last check:\n"
        + (last == null ? "none" : last.out()));
  }

  static JsonNode route(JsonNode figures, String method, String route) {
    for (JsonNode r : figures.get("routes")) {
      if (r.get("method").asText().equals(method) && r.get("route").asText().equals(route)) {
        return r;
      }
    }
    return JSON.createObjectNode();
  }

  private static void load(int port, String path, int times, int status) {
    for (int i = 0; i < times; i++) {
      assertEquals(status, DemoApp.get(port, path), path);
    }
  }

  @Test
  void aHealthyDemoIsOkAndAFailingRouteMakesItCriticalOrWarningByTheThresholds() {
    int appPort = FreePort.next();
    try (OtlpReceiver receiver = new OtlpReceiver(); AgentJvm demo = DemoApp.start(appPort, receiver)) {
      String url = "http://127.0.0.1:" + demo.port();
      load(appPort, "/owners", 40, 200);
      load(appPort, "/owners/1", 20, 200);
      awaitFigures(url, f -> route(f, "GET", "/owners").path("requests").asLong() == 40
          && route(f, "GET", "/owners/*").path("requests").asLong() == 20, "the 60 requests");

      Run healthy = check(url);
      assertEquals(0, healthy.code(), healthy.out());
      assertTrue(healthy.firstLine().matches("VIGIL OK - \\S+: 60 requests in 5m, error ratio 0 %, p95 [0-9.]+ (ms|s) \\| .*"),
          healthy.firstLine());
      assertTrue(healthy.out().contains("\n  GET /owners: 40 requests, error ratio 0 % (0), p95 "), healthy.out());
      assertTrue(healthy.out().contains("\npool petclinic: "), healthy.out());

      load(appPort, "/fail", 12, 500);
      awaitFigures(url, f -> route(f, "GET", "/fail").path("errors").asLong() == 12, "the 12 failures");
      Run critical = check(url);
      assertEquals(2, critical.code(), critical.out());
      assertTrue(critical.firstLine().matches("VIGIL CRITICAL - \\S+: all requests error ratio 16.7 % \\(12 of 72\\) over 5 %"
          + " \\(\\+1 more\\); 72 requests in 5m, error ratio 16.7 %, p95 .*"), critical.firstLine());
      assertTrue(critical.out().contains("\nCRITICAL: GET /fail: error ratio 100 % (12 of 12) over 5 %\n"), critical.out());
      assertTrue(critical.out().contains("note: errors: 1 new error group(s) in 5m: java.lang.IllegalStateException (servlet on /fail)"),
          critical.out());

      // /fail under --min-requests is not judged alone; all requests (12 of 72, 16.7 %) are, between the limits.
      Run warning = check(url, "--max-error-ratio", "0.1,0.5", "--min-requests", "13");
      assertEquals(1, warning.code(), warning.out());
      assertTrue(warning.firstLine().startsWith("VIGIL WARNING - "), warning.firstLine());
      assertTrue(warning.firstLine().contains(": all requests error ratio 16.7 % (12 of 72) over 10 %"), warning.firstLine());
      assertEquals(2, check(url, "--max-error-ratio", "0.15", "--min-requests", "13").code(),
          "a single value is the critical limit");

      JsonNode json = check(url, "--json").json();
      assertEquals("CRITICAL", json.get("status").asText());
      assertEquals(2, json.get("exitCode").asInt());
      assertEquals("all requests", json.at("/findings/0/subject").asText());
      assertEquals("GET /fail", json.at("/findings/1/subject").asText());
      assertEquals(72, json.at("/figures/totals/requests").asLong());
    }
  }

  @Test
  void startingItLoadsNoneOfTheWeaving() {
    int appPort = FreePort.next();
    try (OtlpReceiver receiver = new OtlpReceiver(); AgentJvm demo = DemoApp.start(appPort, receiver)) {
      Run run = check(Map.of(), List.of("-Xlog:class+load=info"), "http://127.0.0.1:" + demo.port());
      List<String> vigil = run.out().lines().filter(l -> l.contains(" io.vigil.") || l.contains(" net.bytebuddy."))
          .map(l -> l.replaceAll("^\\[[^]]*]\\[[^]]*]\\[[^]]*] ", "").split(" ")[0]).collect(Collectors.toList());
      assertTrue(vigil.contains("io.vigil.agent.check.CheckCommand"), "the class-load log is read: " + vigil);
      List<String> foreign = vigil.stream().filter(c -> !c.startsWith("io.vigil.agent.check.")
          && !c.equals("io.vigil.agent.http.Json")).toList();
      assertEquals(List.of(), foreign, "only the check package and the JSON writer");
      assertFalse(run.out().contains("io.vigil.shaded."), "no shaded library");
      assertTrue(run.out().lines().anyMatch(l -> l.startsWith("VIGIL ")), run.out());
    }
  }

  @Test
  void aPoolHeldExhaustedIsCriticalThroughHealthAndItsTimeoutsWarnAfterwards() {
    int appPort = FreePort.next();
    try (AgentJvm app = AgentJvm.app(HikariPoolApp.class).args(String.valueOf(appPort))
        .property("vigil.traces.enabled", "false").start()) {
      app.awaitLine("hikari-app ready", Duration.ofSeconds(30));
      String url = "http://127.0.0.1:" + app.port();
      assertEquals(200, DemoApp.get(appPort, "/open?id=p&url=jdbc:h2:mem:check;DB_CLOSE_DELAY%3D-1&max=2&minIdle=2"
          + "&timeoutMs=600&poolName=orders"));
      assertEquals(200, DemoApp.get(appPort, "/hold?id=p&n=2"));
      assertEquals(200, DemoApp.get(appPort, "/slow?id=p&threads=4&holdMs=50"));
      awaitFigures(url, f -> f.path("pools").findValues("timeouts").stream().anyMatch(t -> t.asLong() > 0),
          "the pool's timeouts");

      Run exhausted = check(url);
      assertEquals(2, exhausted.code(), exhausted.out());
      assertTrue(exhausted.firstLine().startsWith("VIGIL CRITICAL - "), exhausted.firstLine());
      assertTrue(exhausted.firstLine().contains("health DOWN: hikari:orders (pool exhausted: no idle connection, 2/2 in use"),
          exhausted.firstLine());
      assertTrue(exhausted.out().contains("WARNING: pool orders: saturated: 2/2 connections in use, "), exhausted.out());
      assertTrue(exhausted.out().contains("\npool orders: 2/2 in use, 0 idle, "), exhausted.out());

      assertEquals(200, DemoApp.get(appPort, "/stopSlow?id=p"));
      assertEquals(200, DemoApp.get(appPort, "/release?id=p"));
      Run after = check(url, "--max-pool-timeouts", "0,1000000");
      assertEquals(1, after.code(), after.out());
      assertTrue(after.firstLine().matches("VIGIL WARNING - \\S+: pool orders [0-9]+ connection timeout\\(s\\) in 5m, over 0( \\(\\+\\d+ more\\))?; .*"),
          after.firstLine());
    }
  }

  @Test
  void aPortNobodyListensOnIsUnknown() {
    int port = FreePort.next();
    long start = System.nanoTime();
    Run run = check("http://127.0.0.1:" + port, "--timeout", "2s");
    assertEquals(3, run.code(), run.out());
    assertTrue(run.firstLine().startsWith("VIGIL UNKNOWN - cannot connect to http://127.0.0.1:" + port + "/health"), run.out());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
  }

  @Test
  void aPortBehindTlsAndAPasswordNeedsItsCaAndCredentials() throws IOException {
    Path work = Files.createTempDirectory(Files.isDirectory(Paths.get("target")) ? Paths.get("target") : Paths.get("/tmp"), "check-");
    TestCertificates ca = TestCertificates.authority(work.resolve("ca"), "Check Test CA");
    TestCertificates.Issued server = ca.server("server", "EC");
    Path passwordFile = Files.writeString(work.resolve("password"), "s3cret-check\n");
    try (AgentJvm app = AgentJvm.app(IdleApp.class)
        .property("vigil.prometheus.tls.certificate", server.certificate().toString())
        .property("vigil.prometheus.tls.private-key", server.key().toString())
        .property("vigil.prometheus.auth.username", "ops")
        .env("VIGIL_PROMETHEUS_AUTH_PASSWORD", "s3cret-check")
        .dontWaitForAgentPort()
        .start()) {
      app.awaitLine(" started in ", Duration.ofSeconds(60));
      String url = "https://localhost:" + app.port();
      String cacert = ca.certificate().toString();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Run anonymous = check(url, "--cacert", cacert);
      while (anonymous.out().contains("cannot connect") && System.nanoTime() < deadline) {
        sleep(500);
        anonymous = check(url, "--cacert", cacert);
      }
      assertEquals(3, anonymous.code(), anonymous.out());
      assertTrue(anonymous.firstLine().startsWith("VIGIL UNKNOWN - the agent asks for credentials (HTTP 401)"), anonymous.out());

      Run withFile = check(url, "--cacert", cacert, "--user", "ops", "--password-file", passwordFile.toString());
      assertEquals(0, withFile.code(), withFile.out());
      assertTrue(withFile.firstLine().startsWith("VIGIL OK - "), withFile.out());
      Run withEnv = check(Map.of("VIGIL_CHECK_PASSWORD", "s3cret-check"), List.of(), url, "--cacert", cacert, "--user", "ops");
      assertEquals(0, withEnv.code(), withEnv.out());

      Run wrong = check(Map.of("VIGIL_CHECK_PASSWORD", "not-it"), List.of(), url, "--cacert", cacert, "--user", "ops");
      assertEquals(3, wrong.code());
      assertEquals("VIGIL UNKNOWN - the agent refused the credentials (HTTP 401)", wrong.firstLine());
      Run untrusted = check(url, "--user", "ops", "--password-file", passwordFile.toString());
      assertEquals(3, untrusted.code());
      assertTrue(untrusted.firstLine().contains("the agent's certificate is not trusted; give its CA with --cacert FILE"),
          untrusted.out());
      Run plain = check("http://localhost:" + app.port(), "--timeout", "3s");
      assertEquals(3, plain.code(), plain.out());
      assertFalse(withFile.out().contains("s3cret") || wrong.out().contains("not-it"), "no password in the output");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
