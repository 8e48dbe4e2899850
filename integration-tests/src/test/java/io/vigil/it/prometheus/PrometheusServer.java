package io.vigil.it.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.it.harness.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server (the {@code prometheus} binary) in a child process on 127.0.0.1: one
 * scrape job for one target, every second, with the given rule files and exemplar storage on. Wraps
 * the few HTTP API calls the tests need and returns Prometheus' JSON answer as it came.
 */
final class PrometheusServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;

    private PrometheusServer(Process process, Path dir, Path log, int port) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /**
     * Writes {@code prometheus.yml} into {@code dir} and starts {@code binary} on a free port; returns
     * once {@code /-/ready} answers 200, or fails with Prometheus' log.
     */
    static PrometheusServer start(String binary, Path dir, String job, String target, List<Path> ruleFiles,
            Duration readyTimeout) {
        String scrapeConfigs = "  - job_name: " + yamlString(job) + "\n"
                + "    static_configs:\n"
                + "      - targets: [" + yamlString(target) + "]\n";
        return start(binary, dir, scrapeConfigs, ruleFiles, readyTimeout);
    }

    /** As above with the {@code scrape_configs} list given as YAML (its items indented by two spaces). */
    static PrometheusServer start(String binary, Path dir, String scrapeConfigs, List<Path> ruleFiles,
            Duration readyTimeout) {
        try {
            Files.createDirectories(dir);
            StringBuilder config = new StringBuilder()
                    .append("global:\n")
                    .append("  scrape_interval: 1s\n")
                    .append("  scrape_timeout: 1s\n")
                    .append("  evaluation_interval: 1s\n")
                    .append("rule_files:\n");
            for (Path rules : ruleFiles) {
                config.append("  - ").append(yamlString(rules.toAbsolutePath().normalize().toString())).append('\n');
            }
            config.append("scrape_configs:\n").append(scrapeConfigs);
            Path configFile = dir.resolve("prometheus.yml");
            Files.writeString(configFile, config.toString(), StandardCharsets.UTF_8);
            Path log = dir.resolve("prometheus.log");
            int port = FreePort.next();
            List<String> command = List.of(binary,
                    "--config.file=" + configFile.toAbsolutePath(),
                    "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--enable-feature=exemplar-storage",
                    "--log.level=info");
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(process, dir, log, port);
            server.awaitReady(readyTimeout);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
    }

    int port() {
        return port;
    }

    Path directory() {
        return dir;
    }

    /** The last lines of Prometheus' own log, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + " before it was ready:\n"
                        + logTail(60));
            }
            try {
                HttpResponse<String> response = HTTP.send(request("/-/ready").build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        close();
        throw new AssertionError("prometheus was not ready within " + timeout + ":\n" + logTail(60));
    }

    // --- HTTP API -------------------------------------------------------------------------------

    /** What one API call answered: the HTTP status, and the JSON body (null if it was not JSON). */
    record Answer(String call, int httpStatus, JsonNode body, String raw) {

        boolean success() {
            return httpStatus == 200 && body != null && "success".equals(body.path("status").asText());
        }

        JsonNode data() {
            return body == null ? null : body.path("data");
        }

        /** The error as Prometheus put it, or the HTTP status and body when it is not an API error. */
        String error() {
            if (body != null && body.has("error")) {
                return body.path("errorType").asText() + ": " + body.path("error").asText();
            }
            return "HTTP " + httpStatus + ": " + (raw.length() > 500 ? raw.substring(0, 500) + "..." : raw);
        }

        List<String> warnings() {
            List<String> out = new ArrayList<>();
            if (body != null) {
                body.path("warnings").forEach(w -> out.add(w.asText()));
            }
            return out;
        }

        /** The result of a query: the number of series (vector, matrix) or 1 for a scalar or string. */
        int seriesCount() {
            JsonNode data = data();
            if (data == null) {
                return 0;
            }
            String type = data.path("resultType").asText();
            JsonNode result = data.path("result");
            if (type.equals("scalar") || type.equals("string")) {
                return 1;
            }
            int n = 0;
            for (JsonNode series : result) {
                // A matrix series always has at least one point; count only those that have one.
                if (!type.equals("matrix") || series.path("values").size() > 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Instant query at the server's "now". */
    Answer query(String expr) {
        return get("/api/v1/query", "query", expr);
    }

    /** Range query over the last {@code range}, evaluated every {@code step}. */
    Answer queryRange(String expr, Duration range, Duration step) {
        double end = System.currentTimeMillis() / 1000.0;
        double start = end - range.toMillis() / 1000.0;
        return get("/api/v1/query_range", "query", expr, "start", seconds(start), "end", seconds(end),
                "step", seconds(step.toMillis() / 1000.0));
    }

    Answer queryExemplars(String expr, Duration range) {
        double end = System.currentTimeMillis() / 1000.0;
        double start = end - range.toMillis() / 1000.0;
        return get("/api/v1/query_exemplars", "query", expr, "start", seconds(start), "end", seconds(end));
    }

    /** {@code /api/v1/label/<label>/values}, restricted to series that match {@code match} when it is given. */
    Answer labelValues(String label, String match) {
        String path = "/api/v1/label/" + label + "/values";
        return match == null ? get(path) : get(path, "match[]", match);
    }

    Answer rules() {
        return get("/api/v1/rules");
    }

    Answer targets() {
        return get("/api/v1/targets", "state", "active");
    }

    Answer alerts() {
        return get("/api/v1/alerts");
    }

    /** The values of an answer whose data is a list of strings (label values). */
    static List<String> strings(Answer answer) {
        List<String> out = new ArrayList<>();
        if (answer.success()) {
            answer.data().forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** The label sets of a vector or matrix answer, without {@code __name__}. */
    static List<Map<String, String>> labelSets(Answer answer) {
        List<Map<String, String>> out = new ArrayList<>();
        if (answer.success()) {
            for (JsonNode series : answer.data().path("result")) {
                Map<String, String> labels = new java.util.TreeMap<>();
                series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                labels.remove("__name__");
                out.add(labels);
            }
        }
        return out;
    }

    /** The single number of a one-series instant vector answer, NaN if there is none. */
    static double scalar(Answer answer) {
        if (!answer.success()) {
            return Double.NaN;
        }
        JsonNode result = answer.data().path("result");
        if (answer.data().path("resultType").asText().equals("scalar")) {
            return Double.parseDouble(result.path(1).asText());
        }
        if (result.size() != 1) {
            return Double.NaN;
        }
        return Double.parseDouble(result.path(0).path("value").path(1).asText());
    }

    private Answer get(String path, String... params) {
        StringBuilder uri = new StringBuilder(path);
        for (int i = 0; i < params.length; i += 2) {
            uri.append(i == 0 ? '?' : '&')
                    .append(URLEncoder.encode(params[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        String call = "GET " + path + (params.length > 1 ? " " + params[0] + "=" + params[1] : "");
        try {
            HttpResponse<String> response = HTTP.send(request(uri.toString()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                body = null;
            }
            return new Answer(call, response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new AssertionError(call + " failed: " + e + "\nprometheus log:\n" + logTail(30), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(20));
    }

    // --- lifecycle ------------------------------------------------------------------------------

    /** Stops Prometheus and deletes its TSDB; the configuration and the log stay in {@link #directory()}. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir.resolve("data"));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // leftovers under target/ are harmless
        }
    }

    static String yamlString(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String seconds(double s) {
        return String.format(java.util.Locale.ROOT, "%.3f", s);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
