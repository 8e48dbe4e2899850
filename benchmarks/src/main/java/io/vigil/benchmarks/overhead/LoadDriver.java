package io.vigil.benchmarks.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop load from {@code wrk} on 127.0.0.1: a fixed number of threads and connections, each
 * connection sending its next request as soon as the previous one is answered, through the
 * {@link RequestMix}.
 */
final class LoadDriver {

  record Result(long requests, double seconds, double p50Millis, double p99Millis, long socketErrors, long badStatus) {
    double throughput() {
      return requests / seconds;
    }
  }

  private final int threads;
  private final int connections;
  private final Path script;

  LoadDriver(int threads, int connections, String page, Path workDir) throws IOException {
    this.threads = threads;
    this.connections = connections;
    this.script = workDir.resolve("mix.lua");
    Files.createDirectories(workDir);
    Files.writeString(script, RequestMix.wrkScript(page));
  }

  String describe() {
    return "wrk -t" + threads + " -c" + connections + " --latency -s mix.lua";
  }

  /** Runs wrk for {@code duration}, its full output kept in {@code log}. */
  Result run(String baseUrl, Duration duration, Path log) throws IOException, InterruptedException {
    Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s",
        "--timeout", "10s", "--latency", "-s", script.toString(), baseUrl + "/")
        .redirectErrorStream(true)
        .start();
    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
      wrk.destroyForcibly();
      throw new IOException("wrk failed: " + out);
    }
    Files.writeString(log, out);
    return parse(out);
  }

  static Result parse(String out) throws IOException {
    for (String line : out.split("\n")) {
      if (line.startsWith("VIGIL-RESULT ")) {
        Map<String, Long> v = new HashMap<>();
        for (String pair : line.substring("VIGIL-RESULT ".length()).trim().split(" ")) {
          String[] kv = pair.split("=");
          v.put(kv[0], Long.parseLong(kv[1]));
        }
        return new Result(v.get("requests"), v.get("duration_us") / 1e6, v.get("p50_us") / 1e3, v.get("p99_us") / 1e3,
            v.get("connect") + v.get("read") + v.get("write") + v.get("timeout"), v.get("status"));
      }
    }
    throw new IOException("no result line in wrk's output: " + out);
  }
}
