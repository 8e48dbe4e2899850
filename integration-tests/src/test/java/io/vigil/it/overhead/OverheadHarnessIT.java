package io.vigil.it.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overhead harness works end to end: one quick run of {@code benchmarks/overhead/run.sh}
 * measures the demo without an agent, with Vigil and with the OpenTelemetry agent, both agents
 * export spans to its receiver and serve its /metrics scrapes. Nothing here judges a figure: a
 * quick run on a shared build machine measures nothing, it only proves the measuring works.
 */
class OverheadHarnessIT {

  private static final List<String> SETUPS = List.of("a-no_agent", "b-vigil", "c-otel");

  @Test
  void aQuickRunMeasuresAllThreeSetupsAndSeesBothAgentsExportAndServeMetrics(@TempDir Path results) throws Exception {
    Path root = Paths.get(System.getProperty("vigil.repo.root", "..")).toAbsolutePath().normalize();
    Path otelAgent = Paths.get(System.getProperty("vigil.otel.javaagent.jar", "missing"));
    assertTrue(Files.isRegularFile(otelAgent), "OpenTelemetry agent not fetched: " + otelAgent);
    assertTrue(Files.isRegularFile(root.resolve("benchmarks/target/benchmarks.jar")), "benchmarks module not built");
    Path log = Paths.get("target", "overhead-harness-it.log").toAbsolutePath();

    Process harness = new ProcessBuilder("bash", "benchmarks/overhead/run.sh", "--quick", "--no-build",
        "--otel-agent", otelAgent.toString(), "--results", results.toString())
        .directory(root.toFile())
        .redirectError(log.toFile())
        .start();
    String stdout = new String(harness.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(harness.waitFor(5, TimeUnit.MINUTES), "the harness did not finish");
    assertEquals(0, harness.exitValue(), () -> "the harness failed; its log: " + read(log));

    String markdown = Files.readString(results.resolve("latest.md"));
    assertEquals(markdown, stdout, "stdout is the report, and the report is what latest.md holds");
    for (String row : List.of("| a. no agent |", "| b. Vigil |", "| c. OpenTelemetry agent |")) {
      assertTrue(markdown.contains(row), "the report has a row " + row);
    }

    Map<String, Map<String, String>> runs = readRuns(results.resolve("latest-runs.csv"));
    assertEquals(SETUPS, List.copyOf(runs.keySet()), "one run of each setup, in the order a, b, c");
    for (String setup : SETUPS) {
      Map<String, String> run = runs.get(setup);
      assertTrue(number(run, "requests") > 0 && number(run, "throughput_rps") > 0, setup + " served the load: " + run);
      assertTrue(number(run, "startup_ms") > 0, setup + " has a start-up time: " + run);
      assertEquals(0, number(run, "non_2xx"), setup + ": every page of the mix answers 2xx: " + run);
      assertEquals(0, number(run, "socket_errors"), setup + ": no connection errors: " + run);
      assertTrue(number(run, "cpu_ms") > 0 && number(run, "rss_kb") > 0 && number(run, "heap_live_kb") > 0,
          setup + " has CPU, RSS and heap figures: " + run);
      assertTrue(number(run, "allocated_bytes") > 0, setup + " has an allocation figure from its GC log: " + run);
    }
    assertEquals(0, number(runs.get("a-no_agent"), "otlp_requests"), "nothing exports without an agent");
    for (String setup : List.of("b-vigil", "c-otel")) {
      Map<String, String> run = runs.get(setup);
      assertTrue(number(run, "otlp_requests") > 0, setup + " sent OTLP trace exports to the receiver: " + run);
      assertTrue(number(run, "otlp_spans") > 0, setup + "'s exports carried spans: " + run);
      assertEquals(0, number(run, "otlp_undecodable"), setup + "'s exports are OTLP protobuf: " + run);
      assertTrue(number(run, "scrapes_ok") > 0, setup + "'s /metrics was scraped: " + run);
      assertEquals(0, number(run, "scrapes_failed"), setup + ": no scrape failed: " + run);
      assertEquals("true", run.get("scrape_has_http_server_duration"), setup + "'s scrape has the HTTP server histogram: " + run);
    }
  }

  private static Map<String, Map<String, String>> readRuns(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    String[] header = lines.get(0).split(",");
    Map<String, Map<String, String>> runs = new java.util.LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      Map<String, String> run = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        run.put(header[i], cells[i]);
      }
      runs.put(run.get("setup"), run);
    }
    return runs;
  }

  private static double number(Map<String, String> run, String column) {
    return Double.parseDouble(run.get(column));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
