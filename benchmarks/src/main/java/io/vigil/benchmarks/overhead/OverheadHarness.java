package io.vigil.benchmarks.overhead;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the demo application side by side without an agent (a), with Vigil (b) and with the
 * OpenTelemetry Java agent (c), runs alternating a, b, c, a, b, c, … so that drift of the machine
 * spreads over all three. Each run: launch and time to the first 200, warm-up load, then the
 * measured load with CPU time, heap and GC log read at its edges, then RSS, live heap and the
 * exports. Started by {@code benchmarks/overhead/run.sh}; prints the Markdown report and writes it
 * with the raw runs to the results folder ({@code latest.md}, {@code latest-runs.csv}).
 */
public final class OverheadHarness {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final HarnessOptions options;
  private final PrintStream progress;
  private final ProcFs procFs = new ProcFs();
  private final Jcmd jcmd;
  private final LoadDriver load;

  private OverheadHarness(HarnessOptions options, PrintStream progress) throws IOException {
    this.options = options;
    this.progress = progress;
    this.jcmd = new Jcmd(options.java());
    this.load = new LoadDriver(options.threads(), options.connections(), options.page(), options.workDir());
  }

  public static void main(String[] args) throws Exception {
    HarnessOptions options;
    try {
      options = HarnessOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<Path> jars = new ArrayList<>(List.of(options.vigilAgent(), options.otelAgent(), options.demoJar()));
    if (options.vigilBefore() != null) {
      jars.add(options.vigilBefore());
    }
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        System.err.println("missing " + jar + " (build it, or run benchmarks/overhead/run.sh without --no-build)");
        System.exit(2);
      }
    }
    // stdout carries the report only; progress goes to stderr.
    String markdown = new OverheadHarness(options, System.err).measure();
    System.out.print(markdown);
  }

  /** The JVM flags of every configuration, so heap sizing and GC cannot explain a difference. */
  static List<String> commonJvmFlags(HarnessOptions options, String gcLog) {
    return List.of("-Xms" + options.heap(), "-Xmx" + options.heap(), "-XX:+AlwaysPreTouch", "-XX:+UseG1GC",
        String.format(GcLog.JVM_FLAG, gcLog));
  }

  private String measure() throws Exception {
    Environment environment = Environment.describe(options);
    List<RunResult> runs = new ArrayList<>();
    try (OtlpSink sink = new OtlpSink()) {
      for (int repeat = 1; repeat <= options.repeats(); repeat++) {
        for (Setup setup : Setup.active(options)) {
          progress.printf(Locale.ROOT, "run %d/%d %s. %s%n", repeat, options.repeats(), setup.key, setup.label);
          RunResult result = runOnce(setup, repeat, sink);
          progress.printf(Locale.ROOT, "  start-up %d ms, %.0f req/s, p99 %.2f ms, %.0f µs CPU/req, RSS %.0f MiB, %.0f B/req, %d OTLP requests (%d spans), scrapes %d ok / %d failed%n",
              result.startupMillis(), result.throughput(), result.p99Millis(), result.cpuMicrosPerRequest(), result.rssMiB(),
              result.allocatedBytesPerRequest(), result.otlp().requests(), result.otlp().spans(), result.scrapes().ok(),
              result.scrapes().failed());
          runs.add(result);
        }
      }
    }
    Report report = new Report(options, environment, load.describe(), runs);
    String markdown = report.markdown();
    Files.createDirectories(options.resultsDir());
    Files.writeString(options.resultsDir().resolve("latest.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(options.resultsDir().resolve("latest-runs.csv"), report.csv(), StandardCharsets.UTF_8);
    progress.println("written " + options.resultsDir().resolve("latest.md") + " and latest-runs.csv");
    return markdown;
  }

  private RunResult runOnce(Setup setup, int repeat, OtlpSink sink) throws Exception {
    Path dir = options.workDir().resolve(repeat + setup.key);
    Files.createDirectories(dir);
    Path gcLog = dir.resolve("gc.log");
    Files.deleteIfExists(gcLog);
    int appPort = freePort();
    int metricsPort = freePort();
    List<String> jvm = new ArrayList<>(commonJvmFlags(options, gcLog.toString()));
    jvm.addAll(setup.agentArguments(options, sink.endpoint(), metricsPort));

    OtlpSink.Counts exportsBefore = sink.counts();
    long startup;
    LoadDriver.Result warm;
    LoadDriver.Result measured;
    long cpuMillis;
    long otherCpuMillis;
    long rssKb;
    long heapStartKb;
    long heapEndKb;
    long heapLiveKb;
    long windowStart;
    long windowEnd;
    MetricsScraper.Result scrapes = MetricsScraper.Result.NONE;
    try (DemoProcess app = DemoProcess.launch(options.java(), jvm, options.demoJar(), appPort, dir.resolve("app.log"))) {
      startup = app.awaitFirstOk(STARTUP_TIMEOUT);
      MetricsScraper scraper = setup.hasAgent() ? new MetricsScraper(metricsPort, options.scrapeInterval()) : null;
      try {
        warm = load.run(app.baseUrl(), options.warmup(), dir.resolve("wrk-warmup.txt"));
        heapStartKb = jcmd.heapUsedKb(app.pid());
        windowStart = System.currentTimeMillis();
        long cpuStart = procFs.cpuMillis(app.pid());
        long machineStart = procFs.machineBusyMillis();
        measured = load.run(app.baseUrl(), options.duration(), dir.resolve("wrk.txt"));
        cpuMillis = procFs.cpuMillis(app.pid()) - cpuStart;
        otherCpuMillis = procFs.machineBusyMillis() - machineStart - cpuMillis;
        rssKb = procFs.rssKb(app.pid());
        heapEndKb = jcmd.heapUsedKb(app.pid());
        windowEnd = System.currentTimeMillis();
      } finally {
        if (scraper != null) {
          scraper.close();
          scrapes = scraper.result();
        }
      }
      jcmd.fullGc(app.pid());
      heapLiveKb = jcmd.heapUsedKb(app.pid());
    }
    // The app has exited: whatever its shutdown flushed has arrived.
    OtlpSink.Counts exports = sink.counts().minus(exportsBefore);
    GcLog.Window gc = GcLog.read(gcLog).window(windowStart, windowEnd, heapStartKb, heapEndKb);
    return new RunResult(setup, repeat, startup, warm.requests(), measured.requests(), measured.seconds(), measured.p50Millis(),
        measured.p99Millis(), measured.socketErrors(), measured.badStatus(), cpuMillis, otherCpuMillis, rssKb, heapEndKb, heapLiveKb,
        gc.allocatedBytes(), (windowEnd - windowStart) / 1000.0, gc.collections(), gc.pauseMillis(), exports, scrapes);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
