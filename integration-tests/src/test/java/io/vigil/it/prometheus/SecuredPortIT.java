package io.vigil.it.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.it.apps.IdleApp;
import io.vigil.it.harness.AgentJvm;
import io.vigil.it.harness.HttpsClient;
import io.vigil.it.harness.TestCertificates;
import io.vigil.it.rules.RuleTools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Secured agent ports scraped by a real Prometheus. Two agent JVMs, one Prometheus:
 *
 * <ul>
 *   <li>everything on, as a hardened set-up would have it: HTTPS from PEM files (an EC server key,
 *       replaced by an RSA one during the test), client certificates required (mutual TLS) and HTTP
 *       basic authentication, the password given as {@code VIGIL_PROMETHEUS_AUTH_PASSWORD}; one job
 *       with the right password, one with a wrong one;
 *   <li>the README's set-up: HTTPS and a password file, plus a bearer token file; one job scraping
 *       as the README shows ({@code tls_config.ca_file}, {@code basic_auth.password_file}), one with
 *       the token ({@code authorization.credentials_file}).
 * </ul>
 *
 * Certificates come from {@code openssl}, made afresh for each run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredPortIT {

    private static final String USER = "prometheus";
    /** Unique per run, so finding it in the output can only mean the agent printed it. */
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String GOOD_JOB = "secured";
    private static final String WRONG_JOB = "wrong-password";
    private static final String README_JOB = "readme";
    private static final String BEARER_JOB = "bearer";
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestCertificates ca;
    private static TestCertificates.Issued server;
    private static TestCertificates.Issued client;
    private static TestCertificates.Issued stranger;
    private static HttpsClient withCertificate;
    private static HttpsClient withoutCertificate;
    private static AgentJvm agent;
    /** The README's port: TLS, a password file and a token file, no client certificates. */
    private static AgentJvm readme;
    private static Path agentPasswordFile;
    private static Path prometheusPasswordFile;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws IOException {
        RuleTools.ensureInstalled();
        Path target = Paths.get("target");
        Path work = Files.createTempDirectory(Files.isDirectory(target) ? target : Paths.get(System.getProperty("java.io.tmpdir")),
                "secured-port-");
        ca = TestCertificates.authority(work.resolve("ca"), "Vigil Test CA");
        server = ca.server("server", "EC");
        client = ca.client("prometheus-client");
        stranger = TestCertificates.authority(work.resolve("other-ca"), "Some Other CA").client("stranger");
        withoutCertificate = HttpsClient.trusting(ca.certificate());
        withCertificate = withoutCertificate.withClientCertificate(client.pkcs12());

        agent = AgentJvm.app(IdleApp.class)
                .property("vigil.prometheus.tls.certificate", server.certificate().toString())
                .property("vigil.prometheus.tls.private-key", server.key().toString())
                .property("vigil.prometheus.tls.client-ca", ca.certificate().toString())
                .property("vigil.prometheus.auth.username", USER)
                .env("VIGIL_PROMETHEUS_AUTH_PASSWORD", PASSWORD)
                .dontWaitForAgentPort()
                .start();
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        agentPasswordFile = Files.writeString(secrets.resolve("agent-password"), "first-" + PASSWORD + "\n");
        prometheusPasswordFile = Files.writeString(secrets.resolve("prometheus-password"), "first-" + PASSWORD);
        Path token = Files.writeString(secrets.resolve("token"), "token-" + PASSWORD + "\n");
        TestCertificates.Issued readmeServer = ca.server("readme-server", "RSA");
        readme = AgentJvm.app(IdleApp.class)
                .env("VIGIL_PROMETHEUS_TLS_CERTIFICATE", readmeServer.certificate().toString())
                .env("VIGIL_PROMETHEUS_TLS_PRIVATE_KEY", readmeServer.key().toString())
                .env("VIGIL_PROMETHEUS_AUTH_USERNAME", USER)
                .env("VIGIL_PROMETHEUS_AUTH_PASSWORD_FILE", agentPasswordFile.toString())
                .env("VIGIL_PROMETHEUS_AUTH_BEARER_TOKEN_FILE", token.toString())
                .dontWaitForAgentPort()
                .start();
        for (AgentJvm jvm : List.of(agent, readme)) {
            jvm.await(() -> status(withoutCertificate, jvm.port(), "/health/live") == 200, Duration.ofSeconds(60),
                    "the agent port to answer /health/live over HTTPS");
        }

        prometheus = PrometheusServer.start(RuleTools.tool("prometheus"), work.resolve("prometheus"),
                job(GOOD_JOB, PASSWORD) + job(WRONG_JOB, "not-" + PASSWORD) + readmeJob() + bearerJob(token),
                List.of(), Duration.ofSeconds(30));
        awaitCondition("the targets to be scraped", () -> up(GOOD_JOB) == 1.0 && up(WRONG_JOB) == 0.0
                && up(README_JOB) == 1.0 && up(BEARER_JOB) == 1.0);
    }

    /** The job of the README's "Securing the agent port", with this test's paths. */
    private static String readmeJob() {
        return "  - job_name: " + README_JOB + "\n"
                + "    scheme: https\n"
                + "    tls_config:\n"
                + "      ca_file: " + PrometheusServer.yamlString(ca.certificate().toAbsolutePath().toString()) + "\n"
                + "    basic_auth:\n"
                + "      username: " + USER + "\n"
                + "      password_file: " + PrometheusServer.yamlString(prometheusPasswordFile.toAbsolutePath().toString()) + "\n"
                + "    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + readme.port() + "']\n";
    }

    private static String bearerJob(Path token) {
        return "  - job_name: " + BEARER_JOB + "\n"
                + "    scheme: https\n"
                + "    tls_config:\n"
                + "      ca_file: " + PrometheusServer.yamlString(ca.certificate().toAbsolutePath().toString()) + "\n"
                + "    authorization:\n"
                + "      credentials_file: " + PrometheusServer.yamlString(token.toAbsolutePath().toString()) + "\n"
                + "    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + readme.port() + "']\n";
    }

    private static double up(String job) {
        return PrometheusServer.scalar(prometheus.query("up{job=\"" + job + "\"}"));
    }

    /** A job as a user writes it for a secured agent port: https, the CA, a client certificate, basic auth. */
    private static String job(String name, String password) {
        return "  - job_name: " + PrometheusServer.yamlString(name) + "\n"
                + "    scheme: https\n"
                + "    tls_config:\n"
                + "      ca_file: " + PrometheusServer.yamlString(ca.certificate().toAbsolutePath().toString()) + "\n"
                + "      cert_file: " + PrometheusServer.yamlString(client.certificate().toAbsolutePath().toString()) + "\n"
                + "      key_file: " + PrometheusServer.yamlString(client.key().toAbsolutePath().toString()) + "\n"
                + "    basic_auth:\n"
                + "      username: " + USER + "\n"
                + "      password: " + PrometheusServer.yamlString(password) + "\n"
                + "    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + agent.port() + "']\n";
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (readme != null) {
            readme.close();
        }
    }

    @Test
    @Order(1)
    void prometheusScrapesOverHttpsWithBasicAuthAndAClientCertificate() {
        assertEquals(1.0, PrometheusServer.scalar(prometheus.query("vigil_agent_info{job=\"" + GOOD_JOB + "\"}")),
                "the agent's series through the secured scrape");
    }

    @Test
    @Order(2)
    void aWrongPasswordIs401ForPrometheusAndCounted() {
        JsonNode wrong = target(WRONG_JOB);
        assertEquals("down", wrong.path("health").asText(), wrong.toString());
        assertTrue(wrong.path("lastError").asText().contains("401"), wrong.toString());
        awaitCondition("the refused scrapes to be counted", () -> PrometheusServer.scalar(
                prometheus.query("vigil_agent_port_auth_failures_total{job=\"" + GOOD_JOB + "\"}")) >= 1.0);
    }

    @Test
    @Order(3)
    void credentialsAreAskedForOnEveryPathButTheProbes() throws IOException {
        for (String path : List.of("/metrics", "/health", "/nothing-here", "/health/livex")) {
            HttpsClient.Response none = withCertificate.get(agent.port(), path, null);
            assertEquals(401, none.status(), path);
            assertEquals(List.of("Basic realm=\"vigil\", charset=\"UTF-8\""), none.challenges(), path);
            assertEquals(401, withCertificate.get(agent.port(), path, HttpsClient.basic(USER, "wrong")).status(), path);
            assertEquals(401, withCertificate.get(agent.port(), path, HttpsClient.basic("someone", PASSWORD)).status(), path);
        }
        assertEquals(200, withCertificate.get(agent.port(), "/metrics", HttpsClient.basic(USER, PASSWORD)).status());
    }

    @Test
    @Order(4)
    void probesAreOpenAndTellTheStatusOnly() throws IOException {
        for (String path : List.of("/health/live", "/health/ready")) {
            HttpsClient.Response probe = withoutCertificate.get(agent.port(), path, null);
            assertTrue(probe.status() == 200 || probe.status() == 503, path + ": " + probe);
            assertEquals(List.of("status"), fieldNames(probe.body()), path + ": " + probe.body());
        }
    }

    @Test
    @Order(5)
    void healthDetailsAreForAuthenticatedRequestsOnly() throws IOException {
        HttpsClient.Response health = withCertificate.get(agent.port(), "/health", HttpsClient.basic(USER, PASSWORD));
        JsonNode body = JSON.readTree(health.body());
        assertEquals("IdleApp", body.path("service").asText(), health.body());
        assertTrue(body.has("version") && body.has("checks") && body.has("uptime_seconds"), health.body());
    }

    @Test
    @Order(6)
    void withoutAClientCertificateOnlyTheProbesAnswer() throws IOException {
        assertEquals(403, withoutCertificate.get(agent.port(), "/metrics", HttpsClient.basic(USER, PASSWORD)).status());
        assertEquals(403, withoutCertificate.get(agent.port(), "/health", HttpsClient.basic(USER, PASSWORD)).status());
        assertEquals(200, withoutCertificate.get(agent.port(), "/health/live", null).status());
    }

    @Test
    @Order(7)
    void aCertificateFromAnotherCaFailsTheHandshake() {
        HttpsClient impostor = HttpsClient.trusting(ca.certificate()).withClientCertificate(stranger.pkcs12());
        assertThrows(IOException.class, () -> impostor.get(agent.port(), "/health/live", null));
    }

    @Test
    @Order(8)
    void plaintextHttpToTheTlsPortFailsAndThePortServesOn() throws IOException {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/health/live"))
                .timeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> plain.send(request, HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, withoutCertificate.get(agent.port(), "/health/live", null).status());
        assertTrue(agent.isAlive());
    }

    @Test
    @Order(9)
    void aCertificateReplacedOnDiskIsServedOnTheNextConnection() throws IOException {
        assertEquals(server.serial(), withoutCertificate.get(agent.port(), "/health/live", null).servedSerial());
        TestCertificates.Issued rotated = ca.server("server-rotated", "RSA");
        rotated.replace(server);
        assertEquals(rotated.serial(), withoutCertificate.get(agent.port(), "/health/live", null).servedSerial(),
                "the certificate served after the files were replaced. Output:\n" + agent.output());
        long after = System.currentTimeMillis() / 1000;
        awaitCondition("Prometheus to scrape the agent with its new certificate", () -> PrometheusServer.scalar(
                prometheus.query("timestamp(up{job=\"" + GOOD_JOB + "\"} == 1)")) > after + 1);
        agent.awaitLine("The agent port uses the new certificate and key", Duration.ofSeconds(5));
    }

    @Test
    @Order(10)
    void theReadmesJobAndABearerTokenScrapeAPortWithoutClientCertificates() throws IOException {
        assertEquals(1.0, up(README_JOB));
        assertEquals(1.0, up(BEARER_JOB));
        HttpsClient.Response health = withoutCertificate.get(readme.port(), "/health", "Bearer token-" + PASSWORD);
        assertTrue(JSON.readTree(health.body()).has("checks"), "an authenticated token sees the details: " + health);
        assertEquals(401, withoutCertificate.get(readme.port(), "/metrics", "Bearer " + PASSWORD).status());
        assertEquals(List.of("Basic realm=\"vigil\", charset=\"UTF-8\"", "Bearer realm=\"vigil\""),
                withoutCertificate.get(readme.port(), "/metrics", null).challenges());
    }

    @Test
    @Order(11)
    void aPasswordFileIsReadAgainWhenItChanges() throws IOException {
        Files.writeString(agentPasswordFile, "second-" + PASSWORD + "\n");
        awaitCondition("Prometheus, still with the old password, to be refused", () -> up(README_JOB) == 0.0);
        Files.writeString(prometheusPasswordFile, "second-" + PASSWORD);
        awaitCondition("Prometheus, with the new password, to scrape again", () -> up(README_JOB) == 1.0);
        assertEquals(1.0, up(BEARER_JOB), "the token was not affected");
    }

    @Test
    @Order(12)
    void thePasswordNeverAppearsInTheAgentsOutput() {
        assertFalse(readme.output().contains(PASSWORD), "a secret is in the output:\n" + readme.output());
        String output = agent.output();
        assertFalse(output.contains(PASSWORD), "the password is in the output:\n" + output);
        // Refused scrapes, plaintext and foreign certificates are answered, not logged as errors.
        assertFalse(output.contains("Exception") || output.contains(" ERROR ") || output.contains(" WARN "), output);
        assertTrue(output.contains("metrics=https://0.0.0.0:" + agent.port() + "/metrics (TLSv1.3/TLSv1.2, certificate CN=server"
                + " valid until "), output);
        assertTrue(output.contains(", basic authentication + client certificate, health details authorized)"), output);
    }

    private static int status(HttpsClient client, int port, String path) {
        try {
            return client.get(port, path, null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private static JsonNode target(String job) {
        for (JsonNode target : prometheus.targets().data().path("activeTargets")) {
            if (job.equals(target.path("labels").path("job").asText())) {
                return target;
            }
        }
        throw new AssertionError("no target for job " + job + ": " + prometheus.targets().raw());
    }

    private static List<String> fieldNames(String json) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = JSON.readTree(json).fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            PrometheusServer.sleep(250);
        }
        fail("waited " + SETTLE + " for " + what + ".\nTargets: " + prometheus.targets().raw() + "\nprometheus log:\n"
                + prometheus.logTail(30) + "\nagent output:\n" + agent.output());
    }
}
