package io.vigil.benchmarks.overhead;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one harness invocation measures and where it finds and writes things. Paths default to the
 * repository layout, relative to the working directory (the repository root, where {@code run.sh}
 * starts the harness).
 */
record HarnessOptions(
    int repeats,
    Duration warmup,
    Duration duration,
    int threads,
    int connections,
    String heap,
    Duration scrapeInterval,
    Path java,
    Path vigilAgent,
    Path otelAgent,
    Path demoJar,
    Path resultsDir,
    Path workDir,
    boolean quick,
    String command,
    String page,
    Path vigilBefore,
    List<String> vigilOptions) {

  static final String USAGE = """
      usage: OverheadHarness --otel-agent JAR [--repeats N] [--warmup 15s] [--duration 30s] [--quick]
             [--threads 1] [--connections 8] [--heap 512m] [--java PATH] [--vigil-agent JAR]
             [--demo-jar JAR] [--results DIR] [--work DIR] [--command TEXT] [--page mix|fast]
             [--vigil-before JAR] [--vigil-option name=value]...""";

  static HarnessOptions parse(String[] args) {
    int repeats = 3;
    Duration warmup = Duration.ofSeconds(15);
    Duration duration = Duration.ofSeconds(30);
    int threads = 1;
    int connections = 8;
    String heap = "512m";
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Path vigil = Paths.get("agent/target/vigil-agent.jar");
    Path otel = null;
    Path demo = Paths.get("examples/demo/target/vigil-demo.jar");
    Path results = null;
    Path work = Paths.get("benchmarks/overhead/target/work");
    boolean quick = false;
    String page = RequestMix.MIX;
    Path vigilBefore = null;
    List<String> vigilOptions = new ArrayList<>();
    boolean repeatsSet = false;
    boolean warmupSet = false;
    boolean durationSet = false;
    String command = "java -cp benchmarks/target/benchmarks.jar " + OverheadHarness.class.getName() + " " + String.join(" ", args);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--repeats" -> {
          repeats = Integer.parseInt(value(args, ++i, arg));
          repeatsSet = true;
        }
        case "--warmup" -> {
          warmup = duration(value(args, ++i, arg));
          warmupSet = true;
        }
        case "--duration" -> {
          duration = duration(value(args, ++i, arg));
          durationSet = true;
        }
        case "--threads" -> threads = Integer.parseInt(value(args, ++i, arg));
        case "--connections" -> connections = Integer.parseInt(value(args, ++i, arg));
        case "--heap" -> heap = value(args, ++i, arg);
        case "--java" -> java = Paths.get(value(args, ++i, arg));
        case "--vigil-agent" -> vigil = Paths.get(value(args, ++i, arg));
        case "--otel-agent" -> otel = Paths.get(value(args, ++i, arg));
        case "--demo-jar" -> demo = Paths.get(value(args, ++i, arg));
        case "--results" -> results = Paths.get(value(args, ++i, arg));
        case "--work" -> work = Paths.get(value(args, ++i, arg));
        case "--command" -> command = value(args, ++i, arg);
        case "--page" -> page = value(args, ++i, arg);
        case "--vigil-before" -> vigilBefore = Paths.get(value(args, ++i, arg));
        case "--vigil-option" -> {
          String option = value(args, ++i, arg);
          if (option.indexOf('=') < 1) {
            throw new IllegalArgumentException("--vigil-option takes name=value, e.g. jdbc.span.min-duration=1ms");
          }
          vigilOptions.add(option);
        }
        default -> throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
      }
    }
    if (otel == null) {
      throw new IllegalArgumentException("--otel-agent is required\n" + USAGE);
    }
    if (quick) {
      // Proves the harness works end to end; its figures mean nothing.
      repeats = repeatsSet ? repeats : 1;
      warmup = warmupSet ? warmup : Duration.ofSeconds(3);
      duration = durationSet ? duration : Duration.ofSeconds(5);
    }
    if (results == null) {
      // A quick run must never overwrite the real results that are kept in the repository.
      results = Paths.get(quick ? "benchmarks/overhead/target/quick-results" : "benchmarks/overhead/results");
    }
    RequestMix.cycle(page);
    if (repeats < 1 || warmup.toSeconds() < 1 || duration.toSeconds() < 1 || threads < 1 || connections < threads) {
      throw new IllegalArgumentException("repeats ≥ 1, warm-up and duration ≥ 1s, connections ≥ threads ≥ 1");
    }
    return new HarnessOptions(repeats, warmup, duration, threads, connections, heap, Duration.ofSeconds(5),
        java, vigil.toAbsolutePath(), otel.toAbsolutePath(), demo.toAbsolutePath(), results.toAbsolutePath(),
        work.toAbsolutePath(), quick, command, page, vigilBefore == null ? null : vigilBefore.toAbsolutePath(),
        List.copyOf(vigilOptions));
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  /** {@code 30s}, {@code 2m}, {@code 500ms} or a bare number of seconds. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
